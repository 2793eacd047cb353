"""Several processes serve the site: a partner edited in the admin of one is seen by
another within a second, through the shared cache (Redis), with no restart."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.test import override_settings

from tests.helpers import admin_form_data, postgres_url

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/9"
# The other process: prints the partner's colour as its cache gives it, every 50 ms.
WATCHER = """
import sys, time, django
django.setup()
from profiles_module.models import Partner
for _ in range(200):
    print(Partner.by_slug("loire").colour, flush=True)
    time.sleep(0.05)
"""

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two processes need a database they share: the PostgreSQL run has it",
    ),
]


def redis_cache():
    return {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }


def start_watcher(cache_url):
    """Another process of the site, on the test database and `cache_url` (or its own
    local-memory cache when empty)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": postgres_url(),
        "CACHE_URL": cache_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    }
    watcher = subprocess.Popen(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", WATCHER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert watcher.stdout.readline().strip() == "#8a2d1d"  # its cache now holds the partner
    return watcher


def edit_colour_in_the_admin(client, partner, colour):
    url = f"/admin/snippets/profiles_module/partner/edit/{partner.pk}/"
    data = admin_form_data(client.get(url))
    data["colour"] = [colour]
    assert client.post(url, data).status_code == 302


def seconds_until_seen(watcher, colour, started):
    """How long after `started` the other process printed `colour`; None if it never did
    within its 10 s."""
    for line in watcher.stdout:
        if line.strip() == colour:
            return time.monotonic() - started
    return None


@pytest.fixture
def admin_client_on(django_db_serialized_rollback, geography, client, superuser):
    """An admin's client over a database the other process can read: committed, with the
    migrated content and the geography the partner's territory needs."""
    client.force_login(superuser)
    return client


@override_settings(CACHES=redis_cache())
def test_a_partner_edited_in_one_process_is_seen_by_another_within_a_second(
    admin_client_on, partner
):
    redis.Redis.from_url(REDIS_URL).flushdb()
    watcher = start_watcher(REDIS_URL)
    try:
        started = time.monotonic()
        edit_colour_in_the_admin(admin_client_on, partner, "#1d4e8a")
        seen_after = seconds_until_seen(watcher, "#1d4e8a", started)
    finally:
        watcher.kill()
        watcher.wait()
    assert seen_after is not None and seen_after < 1


def test_with_a_cache_per_process_the_other_one_keeps_the_old_partner(admin_client_on, partner):
    """Why production refuses to start without CACHE_URL: the same edit, each process
    with its own local-memory cache, never reaches the other one."""
    watcher = start_watcher("")
    try:
        edit_colour_in_the_admin(admin_client_on, partner, "#1d4e8a")
        seen_after = seconds_until_seen(watcher, "#1d4e8a", time.monotonic())
    finally:
        watcher.kill()
        watcher.wait()
    assert seen_after is None
