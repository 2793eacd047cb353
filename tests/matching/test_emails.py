"""The owner's email of suggestions: sent when something is new, never twice for the
same fiches, and switched off by its own link or by the management page."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from profiles_module import schedule
from tests.factories import manage_link
from tests.helpers import links, path_of

pytestmark = pytest.mark.django_db

WEEK = timedelta(days=7)


def suggestion_emails(to):
    return [m for m in mail.outbox if to in m.to and "compatible" in m.subject]


def test_sent_once_with_the_new_suggestions_then_only_when_something_is_new(fiche):
    owner = fiche("Owner", email="owner@example.org", tenure="cooperative")
    fiche("Neighbour", tenure="cooperative")
    start = timezone.now()
    schedule.run(now=start)
    [sent] = suggestion_emails("owner@example.org")
    assert sent.subject == "Une nouvelle fiche compatible avec la vôtre"
    assert "Neighbour" in sent.body
    assert "même secteur : Saint-Étienne + 10 km" in sent.body
    assert "tous deux : coopérative d'habitants" in sent.body
    # Its link opens the fiche.
    fiche_link = next(url for url in links(sent) if "/fiches/" in url)
    assert "Neighbour" in _follow(fiche_link)

    # The next passes: within the week nothing is looked at; after it, nothing is new.
    schedule.run(now=start + timedelta(hours=1))
    schedule.run(now=start + WEEK + timedelta(hours=1))
    assert len(suggestion_emails("owner@example.org")) == 1

    fiche("Newcomer", tenure="cooperative")
    schedule.run(now=start + 2 * WEEK + timedelta(hours=1))
    emails = suggestion_emails("owner@example.org")
    assert len(emails) == 2
    assert "Newcomer" in emails[1].body
    assert owner.suggestion_emails.sent_uids


def _follow(url):
    from django.test import Client

    response = Client().get(path_of(url), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_no_email_when_there_is_nothing_to_suggest(fiche):
    fiche("Owner", email="owner@example.org")
    fiche("Far away", sectors=[("commune", "35238", 10)])  # nothing in common
    schedule.run(now=timezone.now())
    assert suggestion_emails("owner@example.org") == []


def test_the_link_in_the_email_stops_them(client, fiche):
    fiche("Owner", email="owner@example.org")
    fiche("Neighbour")
    start = timezone.now()
    schedule.run(now=start)
    [sent] = suggestion_emails("owner@example.org")
    stop = next(path_of(url) for url in links(sent) if "/suggestions/arreter/" in url)
    # The HTML part carries the same link.
    html_part = sent.alternatives[0].content
    assert stop in html_part
    # The link as sent: a GET (a mail scanner) changes nothing, the button does.
    page = client.get(stop)
    assert page.status_code == 200
    assert "Ne plus recevoir ces emails" in page.content.decode()
    fiche("Newcomer")
    schedule.run(now=start + WEEK + timedelta(hours=1))
    assert len(suggestion_emails("owner@example.org")) == 2
    done = client.post(stop)
    assert "vous ne recevrez plus de suggestions" in done.content.decode()
    fiche("Another newcomer")
    schedule.run(now=start + 2 * WEEK + timedelta(hours=1))
    assert len(suggestion_emails("owner@example.org")) == 2


def test_an_altered_stop_link_does_nothing(client, fiche):
    owner = fiche("Owner", email="owner@example.org")
    fiche("Neighbour")
    response = client.post(reverse("profiles_module:suggestions_stop", args=["forged:x:y"]))
    assert response.status_code == 404
    schedule.run(now=timezone.now())
    assert len(suggestion_emails("owner@example.org")) == 1
    assert owner.suggestion_emails.enabled


def test_the_management_page_switch(client, fiche):
    owner = fiche("Owner", email="owner@example.org")
    fiche("Neighbour")
    client.post(manage_link(owner))
    page = client.get(reverse("profiles_module:manage")).content.decode()
    assert 'id="suggestion-emails" checked' in page
    switch = reverse("profiles_module:manage_suggestion_emails")
    client.post(switch, {})  # the box unticked
    page = client.get(reverse("profiles_module:manage")).content.decode()
    assert "Vous ne recevrez plus de suggestions par email." in page
    assert 'id="suggestion-emails" checked' not in page
    start = timezone.now()
    schedule.run(now=start)
    assert suggestion_emails("owner@example.org") == []
    # The owner's data download says so too.
    data = json.loads(client.get(reverse("profiles_module:manage_data")).content)
    assert data["suggestion_emails"] == {"enabled": False, "last_sent": None}

    client.post(switch, {"enabled": "on"})
    schedule.run(now=start + timedelta(hours=1))
    assert len(suggestion_emails("owner@example.org")) == 1


def test_the_switch_is_the_owners_only(client, fiche):
    owner = fiche("Owner", email="owner@example.org")
    response = client.post(reverse("profiles_module:manage_suggestion_emails"), {})
    assert response.status_code == 403
    owner.refresh_from_db()
    assert not hasattr(owner, "suggestion_emails") or owner.suggestion_emails.enabled


def test_a_fiche_published_in_a_partners_frame_is_suggested_its_territorys_fiches(fiche):
    from tests.factories import make_partner

    partner = make_partner(departements=("42",))
    fiche("Owner", email="owner@example.org", tenure="cooperative", partner=partner)
    fiche("Loire", sectors=[("commune", "42187", 5)], tenure="cooperative")
    # Same région, but outside the partner's territory: its pages would not open it.
    fiche("Isère", sectors=[("commune", "38185", 10)], tenure="cooperative")
    schedule.run(now=timezone.now())
    [sent] = suggestion_emails("owner@example.org")
    assert "Loire" in sent.body and "Isère" not in sent.body
    fiche_link = next(url for url in links(sent) if "/fiches/" in url)
    assert "/integration/loire/" in fiche_link
    assert "Loire" in _follow(fiche_link)


def test_the_mail_clients_one_click_unsubscribe_stops_them(fiche):
    from django.test import Client

    owner = fiche("Owner", email="owner@example.org")
    fiche("Neighbour")
    schedule.run(now=timezone.now())
    [sent] = suggestion_emails("owner@example.org")
    headers = sent.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    assert "/suggestions/arreter/" in url
    # What a mail client sends (RFC 8058): a POST from outside the site, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    owner.suggestion_emails.refresh_from_db()
    assert not owner.suggestion_emails.enabled
