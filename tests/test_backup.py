"""A backup restored on an empty instance gives back every row and every file: the
restore checks itself against the backup's manifest, and a second backup of the restored
instance has the same rows and checksums as the first."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tests.factories import make_profile
from tests.helpers import postgres_url, write_to

ROOT = Path(__file__).resolve().parent.parent


def manage(env, *args):
    return subprocess.run(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings.dev", **env},
        capture_output=True,
        text=True,
    )


def manifest_of(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database of the tests' engine."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = sql.Identifier("fv_restore_test")
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    yield postgres_url("fv_restore_test")
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def test_a_backup_restores_every_row_and_file(
    django_db_serialized_rollback, geography, client, settings, tmp_path, empty_database
):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "original_images" / "foyer.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(os.urandom(4096))
    household = make_profile(public_name="Maëlle", email="maelle@example.org")
    write_to(client, "sacha@example.net", "Sacha", household, "Bonjour, toujours à Firminy ?")

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    first = manifest_of(archive)
    assert first["tables"]["profiles_module_profile"]["rows"] == 1
    assert first["tables"]["profiles_module_contactmessage"]["rows"] == 1
    assert first["tables"]["profiles_module_commune"]["rows"] > 30_000
    assert list(first["media"]) == ["original_images/foyer.jpg"]

    restored_media = tmp_path / "restored-media"
    instance = {"DATABASE_URL": empty_database, "MEDIA_ROOT": str(restored_media)}
    restore = manage(instance, "restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "0 differences" in restore.stdout
    assert (restored_media / "original_images" / "foyer.jpg").read_bytes() == photo.read_bytes()

    # Checked again from outside the restore: a backup of the restored instance.
    again = manage(instance, "backup", str(tmp_path / "again.tar.gz"))
    assert again.returncode == 0, again.stderr
    second = manifest_of(tmp_path / "again.tar.gz")
    assert second["tables"] == first["tables"]
    assert second["media"] == first["media"]

    # A restore never writes over an instance that holds data.
    twice = manage(instance, "restore", str(archive))
    assert twice.returncode != 0 and "already holds tables" in twice.stderr
