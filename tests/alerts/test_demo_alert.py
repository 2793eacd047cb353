"""The demo: a search saved from the national map page, whose digest the tour prints."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from profiles_module.models import SearchAlert
from tests.factories import make_fiche

pytestmark = pytest.mark.django_db


def test_the_demo_alert_digest_lists_the_fiches_of_the_week_and_then_nothing(home, client):
    call_command("setup_demo", profiles=600, stdout=io.StringIO())
    alert = SearchAlert.objects.get(email="alerte.demo@example.org")
    assert alert.confirmed_at is not None and alert.page.slug == "trouver"
    html = client.get("/trouver/").content.decode()
    assert "Recevoir les nouvelles fiches de cette recherche" in html
    # The demo households are random: one of them surely published this week in the région.
    yesterday = timezone.now() - timedelta(days=1)
    certain = make_fiche(1, [("region", "84")], first_published_at=yesterday)

    out = io.StringIO()
    call_command("send_alert_digests", stdout=out)
    assert "Alert digests queued: 1." in out.getvalue()
    [digest] = [m for m in mail.outbox if m.to == ["alerte.demo@example.org"]]
    assert "correspond" in digest.subject
    assert f"* {certain.public_name} — " in digest.body

    out = io.StringIO()
    call_command("send_alert_digests", stdout=out)
    assert "Alert digests queued: 0." in out.getvalue()
