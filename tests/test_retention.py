"""Every personal value has an end: after two years of the scheduled pass, nothing that
named a person is left, except the fiche of a household still looking (its own data).

Households publish, write to each other, a visitor writes, a message is reported, an
email change is asked and never confirmed; then the scheduled pass runs once a month
for 25 months, as cron would, while one household keeps saying it is still looking.
"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from profiles_module import schedule
from profiles_module.models import AbuseReport, AccessToken, ContactMessage, Profile, SearchAlert
from profiles_module.publication import lifecycle
from tests.alerts.helpers import emails_to, link_in, save_search
from tests.factories import make_map_page, make_profile, manage_link
from tests.helpers import assert_no_trace, links, path_of, write_to

pytestmark = pytest.mark.django_db

LEAVING = "maelle@example.org"  # stops answering: warned, then erased
STAYING = "octavien@example.org"  # says "still looking" every month
VISITOR = "sacha.visiteur@example.net"  # never publishes a fiche
NEW_ADDRESS = "octavien.nouveau@example.org"  # an email change never confirmed
TO_LEAVING = "Bonjour Maëlle, un jardin partagé à Firminy vous tenterait ?"
FROM_LEAVING = "Bonjour Octavien, nous cherchons vers Saint-Étienne nous aussi."
FROM_STAYING = "Bonjour Maëlle, Octavien ici, toujours partant pour Firminy."
REPORT = "Ce visiteur insiste lourdement, merci de vérifier."


def report_last_message(client, recipient, comment):
    received = [message for message in mail.outbox if recipient.email in message.to]
    report_url = next(url for url in links(received[-1]) if "/contact/signaler/" in url)
    assert client.post(path_of(report_url), {"comment": comment}).status_code == 200


def test_two_years_later_no_personal_value_outlives_its_retention(client, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    leaving = make_profile(public_name="Maëlle", email=LEAVING)
    staying = make_profile(public_name="Octavien", email=STAYING, commune="75056")
    write_to(client, VISITOR, "Sacha Visiteur", leaving, TO_LEAVING)
    report_last_message(client, leaving, REPORT)
    write_to(client, LEAVING, "Maëlle Durand", staying, FROM_LEAVING)
    write_to(client, STAYING, "Octavien Martin", leaving, FROM_STAYING)
    lifecycle.request_email_change(staying, NEW_ADDRESS)
    # The visitor saves a search and never confirms it; the leaving household turns
    # its fiche into an alert from its management page.
    map_page = make_map_page(slug="trouver")
    save_search(client, f"{map_page.url}?departement=42", VISITOR)
    client.post(manage_link(leaving))
    client.post("/futurs-voisins/ma-fiche/alerte/", {"criteria": "place", "frequency": "weekly"})
    assert SearchAlert.objects.count() == 2
    assert AbuseReport.objects.filter(comment=REPORT).exists()
    assert AccessToken.objects.filter(new_email=NEW_ADDRESS).exists()

    start = ContactMessage.objects.earliest("created_at").created_at
    for month in range(1, 26):
        now = start + timedelta(days=30.5 * month)
        lifecycle.mark_still_looking(Profile.objects.get(pk=staying.pk), now=now)
        schedule.run(now=now)

    assert not Profile.objects.filter(pk=leaving.pk).exists()
    assert not SearchAlert.objects.exists()  # never confirmed, and erased with its fiche
    assert_no_trace(
        LEAVING, "Maëlle", NEW_ADDRESS, VISITOR, "Sacha", TO_LEAVING, FROM_LEAVING, FROM_STAYING
    )
    assert_no_trace(REPORT)
    # The household still looking keeps its fiche, but neither the address it once
    # wanted to move to nor its past as a sender; the three messages and the report
    # are still counted, without anyone's name.
    assert Profile.objects.get(pk=staying.pk).email == STAYING
    assert not ContactMessage.objects.filter(sender_email__iexact=STAYING).exists()
    assert not ContactMessage.objects.filter(sender_name__icontains="Octavien").exists()
    assert ContactMessage.objects.count() == 3
    assert AbuseReport.objects.count() == 1


def test_within_a_year_the_sender_is_kept_for_blocks_and_reports(client, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    recipient = make_profile(public_name="Maëlle", email=LEAVING)
    write_to(client, VISITOR, "Sacha Visiteur", recipient, TO_LEAVING)
    report_last_message(client, recipient, REPORT)
    written = ContactMessage.objects.get().created_at

    done = schedule.run(now=written + timedelta(days=364))
    assert done["contact_senders_forgotten"] == 0
    message = ContactMessage.objects.get()
    assert (message.sender_email, message.sender_name) == (VISITOR, "Sacha Visiteur")
    assert AbuseReport.objects.get().comment == REPORT

    done = schedule.run(now=written + timedelta(days=366))
    assert done["contact_senders_forgotten"] == 1
    assert done["report_comments_erased"] == 1
    message = ContactMessage.objects.get()
    assert (message.sender_email, message.sender_name) == ("", "")
    assert str(message.sender_label) == "(effacé)"


def test_retention_periods_follow_the_settings(client, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    settings.PROFILES_CONTACT_SENDER_DAYS = 90
    settings.PROFILES_ABUSE_REPORT_COMMENT_DAYS = 60
    recipient = make_profile(public_name="Maëlle", email=LEAVING)
    write_to(client, VISITOR, "Sacha Visiteur", recipient, TO_LEAVING)
    report_last_message(client, recipient, REPORT)
    written = ContactMessage.objects.get().created_at

    done = schedule.run(now=written + timedelta(days=61))
    assert (done["report_comments_erased"], done["contact_senders_forgotten"]) == (1, 0)
    done = schedule.run(now=written + timedelta(days=91))
    assert done["contact_senders_forgotten"] == 1


def test_an_owners_session_ends_with_the_sign_in_and_its_row_is_cleared(client):
    profile = make_profile(public_name="Maëlle", email=LEAVING)
    assert client.post(manage_link(profile)).status_code == 302
    # The row expires with the sign-in (2 hours), not Django's default two weeks.
    assert Session.objects.get().expire_date <= timezone.now() + timedelta(minutes=121)

    schedule.run(now=timezone.now())
    assert Session.objects.count() == 1  # still signed in
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    schedule.run(now=timezone.now())
    assert not Session.objects.exists()


def test_an_unsubscribed_alert_leaves_no_trace_once_its_emails_are_purged(client):
    """Confirmed alerts last until unsubscribed; then the address stays only in the
    outbox's record of what was sent, OUTBOX_RETENTION_DAYS."""
    map_page = make_map_page(slug="trouver")
    save_search(client, f"{map_page.url}?departement=42", VISITOR, "daily")
    client.post(link_in(emails_to(VISITOR)[0], "/alertes/confirmer/"))
    confirmed = SearchAlert.objects.get().checked_until
    fiche = make_profile(public_name="Maëlle", email=LEAVING)
    Profile.objects.filter(pk=fiche.pk).update(first_published_at=confirmed + timedelta(hours=1))
    schedule.run(now=confirmed + timedelta(days=1))
    digest = emails_to(VISITOR)[-1]
    assert "Maëlle" in digest.body

    client.post(link_in(digest, "/alertes/desinscription/"))
    assert not SearchAlert.objects.exists()
    schedule.run(now=confirmed + timedelta(days=32))
    assert_no_trace(VISITOR)
