"""The email provider goes down, a worker dies: nothing is lost.

1,000 relayed messages and 1,000 reminders go out while the provider (a real SMTP
server on the loopback) refuses every connection for seven hours of retries; once it is
back, each of the 3,000 emails arrives exactly once. A task worker killed with SIGKILL in
the middle of a batch loses nothing and sends at most one email twice.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from profiles_module.contact.views import Recipient, relay
from profiles_module.models import ContactMessage, OutgoingEmail, Profile
from profiles_module.publication.emails import queue_email, retry_due
from tests.helpers import postgres_url
from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent.parent
MESSAGES = 1000


def households(count):
    return Profile.objects.bulk_create(
        Profile(
            public_name=f"Foyer {n}",
            composition="couple",
            adults=2,
            children=0,
            email=f"foyer{n}@example.org",
            publication_consent_at=timezone.now(),
            live=True,
        )
        for n in range(count)
    )


@pytest.fixture
def provider():
    sink = SmtpSink()
    with override_settings(MAILERS=sink.mailer()):
        yield sink
    sink.stop()


@pytest.mark.django_db
def test_a_seven_hour_outage_delays_every_email_and_loses_none(provider):
    """The provider is down from the start: every send fails and is retried with backoff
    (1 min, 2 min, 4 min…) by the scheduled pass, still failing; it comes back after
    seven hours and the next pass delivers everything, once."""
    homes = households(MESSAGES)
    start = timezone.now()
    for n, home in enumerate(homes):
        message = ContactMessage.objects.create(
            recipient=home,
            recipient_uid=home.uid,
            sender_name=f"Visiteur {n}",
            sender_email=f"visiteur{n}@example.net",
            body=f"Bonjour foyer {n}, toujours partants ?",
        )
        relay(message, Recipient(profile=home), sender_language="fr")
        queue_email(home, "reminder", context={"stage": 1})
    outbox = OutgoingEmail.objects.all()
    assert outbox.count() == 3 * MESSAGES
    assert not outbox.exclude(status=OutgoingEmail.Status.PENDING).exists()

    for hours in (1, 3, 5, 7):
        retry_due(now=start + timedelta(hours=hours))  # still down: each fails again
    assert not outbox.exclude(status=OutgoingEmail.Status.PENDING).exists()
    assert set(outbox.values_list("attempts", flat=True)) == {5}

    provider.start()
    retry_due(now=start + timedelta(hours=14))
    retry_due(now=start + timedelta(hours=15))  # a second pass sends nothing again

    received = Counter(provider.keys())
    assert len(received) == 3 * MESSAGES and set(received.values()) == {1}
    assert set(outbox.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
    assert set(ContactMessage.objects.values_list("status", flat=True)) == {"sent"}


def worker(env):
    return subprocess.Popen(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a worker in another process needs a database it shares: the PostgreSQL run",
)
def test_a_worker_killed_mid_batch_loses_nothing(
    django_db_serialized_rollback, geography, tmp_path
):
    provider = SmtpSink(delay=0.02)
    provider.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.dev",
        "DATABASE_URL": postgres_url(),
        "TASK_BACKEND": "database",
        "EMAIL_PROVIDER": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(provider.port),
        "EMAIL_USE_TLS": "false",
    }
    count = 200
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    ):
        for home in households(count):
            queue_email(home, "reminder", context={"stage": 1})
        assert DBTaskResult.objects.ready().count() == count

        first = worker(env)
        try:
            deadline = time.monotonic() + 60
            while len(provider.keys()) < count // 4 and time.monotonic() < deadline:
                time.sleep(0.01)
            first.send_signal(signal.SIGKILL)  # mid-batch, mid-send perhaps
        finally:
            first.wait()
        assert 0 < len(provider.keys()) < count

        second = worker(env)
        try:
            deadline = time.monotonic() + 60
            while (
                OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).exists()
                and time.monotonic() < deadline
            ):
                time.sleep(0.1)
            # What the killed worker held ("sending") is released an hour later; a deadline
            # of its own, so that a slow first part (a busy machine) leaves this one time.
            retry_due(now=timezone.now() + timedelta(hours=2))
            deadline = time.monotonic() + 60
            while (
                OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()
                and time.monotonic() < deadline
            ):
                time.sleep(0.1)
        finally:
            second.terminate()
            second.wait()
            # The killed worker's session may linger on the server until it notices.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
    provider.stop()

    received = Counter(to for to, _subject in provider.keys())
    assert set(received) == {f"foyer{n}@example.org" for n in range(count)}
    assert sum(received.values()) - count <= 1  # at most one sent twice
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
