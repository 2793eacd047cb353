"""Backups of a whole instance: the database and the uploaded files in one archive, with
a manifest (rows and checksum per table, checksum per file) that a restore checks itself
against.

PostgreSQL is dumped with pg_dump's custom format and restored with pg_restore; the
embedded SQLite database is copied with SQLite's online backup. A restore goes into an
empty instance of the same engine.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
DATABASE_FILE = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """What stops a backup or a restore, said in one sentence for the operator."""


def table_snapshot(db_connection):
    """{table: {"rows": count, "sha256": digest of its sorted rows}} for every table."""
    snapshot = {}
    with db_connection.cursor() as cursor:
        for table in sorted(db_connection.introspection.table_names(cursor)):
            quoted = db_connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (a table name from the catalogue, quoted)
            rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            snapshot[table] = {"rows": len(rows), "sha256": digest}
    return snapshot


def media_snapshot(root):
    """{relative path: sha256} of every file under `root`."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def differences(expected, found):
    """Lines naming what differs between two manifests; empty when they agree."""
    lines = []
    for kind in ("tables", "media"):
        wanted, got = expected[kind], found[kind]
        for name in sorted(set(wanted) | set(got)):
            if wanted.get(name) != got.get(name):
                lines.append(
                    f"{kind[:-1] if kind == 'tables' else 'file'} {name}: "
                    f"expected {wanted.get(name)}, found {got.get(name)}"
                )
    return lines


def manifest():
    return {
        "engine": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "tables": table_snapshot(connection),
        "media": media_snapshot(settings.MEDIA_ROOT),
    }


def client_tool(name):
    """The full path of one of PostgreSQL's client programs, or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is missing: install PostgreSQL's client tools")
    return path


def postgres_environment():
    """libpq's variables for the default database, so no password appears in a command."""
    database = connection.settings_dict
    values = {
        "PGDATABASE": database["NAME"],
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    return {**os.environ, **{name: value for name, value in values.items() if value}}


def dump_database(target):
    """Dump the database to `target` and return the manifest of exactly what was dumped:
    both read the same snapshot, however busy the site is meanwhile."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            subprocess.run(  # noqa: S603
                [
                    client_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    target,
                ],
                env=postgres_environment(),
                check=True,
            )
        elif connection.vendor == "sqlite":
            # Inside the transaction, writers wait until the manifest is read too.
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_master")
            copy = sqlite3.connect(target)
            connection.connection.backup(copy)
            copy.close()
        else:
            raise BackupError(f"no backup for a {connection.vendor} database")
        return manifest()


def create(archive):
    """Write the archive: the database dump, the media files, the manifest."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_FILE.get(connection.vendor, "database")
        found = dump_database(dump)
        (Path(work) / MANIFEST).write_text(json.dumps(found, indent=1))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(Path(work) / MANIFEST, MANIFEST)
            tar.add(dump, dump.name)
            if Path(settings.MEDIA_ROOT).is_dir():
                tar.add(settings.MEDIA_ROOT, "media")
    return found


def is_empty():
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(archive):
    """Restore the archive into this empty instance; returns (manifest, differences)."""
    if not is_empty():
        raise BackupError(
            "the database already holds tables: restore into an empty database "
            "(createdb, or a new SQLite path in DATABASE_URL)"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media_root}) is not empty")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        # The "data" filter refuses links and paths that leave the folder.
        tar.extractall(work, filter="data")
        expected = json.loads((Path(work) / MANIFEST).read_text())
        if expected["engine"] != connection.vendor:
            raise BackupError(
                f"this backup is of a {expected['engine']} database, not {connection.vendor}"
            )
        dump = Path(work) / DATABASE_FILE[connection.vendor]
        if connection.vendor == "postgresql":
            subprocess.run(  # noqa: S603
                [
                    client_tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    dump,
                ],
                env=postgres_environment(),
                check=True,
            )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            source.backup(connection.connection)
            source.close()
        if (Path(work) / "media").is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            for path in sorted((Path(work) / "media").rglob("*")):
                target = media_root / path.relative_to(Path(work) / "media")
                if path.is_dir():
                    target.mkdir(exist_ok=True)
                else:
                    target.write_bytes(path.read_bytes())
    found = manifest()
    return found, differences(expected, found)
