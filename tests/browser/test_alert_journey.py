"""A visitor saves the search of a map page, after changing its criteria live, confirms
it through the link of the email as sent, and gets the digest of a new matching fiche."""

import email
import re
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.utils import timezone

from profiles_module.alerts.emails import send_digests
from profiles_module.models import SearchAlert
from tests.browser import settle
from tests.factories import make_fiche, make_map_page

ADDRESS = "lou.visiteuse@example.net"


def text_as_received(message):
    """The plain text part of `message`, decoded from the bytes that were sent."""
    received = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    return received, received.get_body(preferencelist=("plain",)).get_content()


def path_in(text, fragment):
    url = next(u for u in re.findall(r"https?://[^\s<>\"]+", text) if fragment in u)
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.browser
def test_save_a_search_confirm_it_and_receive_the_new_fiche(page, live_site):
    map_page = make_map_page(slug="trouver")
    make_fiche(1, [("departement", "42")], first_published_at=timezone.now())
    make_fiche(2, [("departement", "69")], first_published_at=timezone.now())
    mail.outbox.clear()

    page.goto(live_site + map_page.url)
    # The main script (the live search) runs once the page is painted; a criterion changed
    # before is searched when it runs (test_live_search.py), not what this journey is about.
    page.wait_for_function("() => window.L")
    # The criteria change live (no reload): the alert saves what the page shows now.
    page.locator("select[name=departement]").select_option("42")
    page.wait_for_function("() => location.search.includes('departement=42')")
    settle(page)
    page.get_by_text("Recevoir les nouvelles fiches de cette recherche").click()
    page.get_by_label("Votre adresse électronique").fill(ADDRESS)
    page.get_by_label("Chaque jour").check()
    page.get_by_role("button", name="Recevoir les nouvelles fiches", exact=True).click()
    settle(page)
    assert page.get_by_role("heading", name="Vérifiez votre boîte").is_visible()
    alert = SearchAlert.objects.get()
    assert (alert.query, alert.frequency, alert.confirmed_at) == ("departement=42", "daily", None)

    # The confirmation, as the mailbox gets it: its link opens a page with one button.
    [confirmation] = mail.outbox
    _received, text = text_as_received(confirmation)
    page.goto(live_site + path_in(text, "/alertes/confirmer/"))
    page.get_by_role("button", name="Confirmer mon alerte").click()
    settle(page)
    assert page.get_by_role("heading", name="Votre alerte est active").is_visible()
    confirmed = SearchAlert.objects.get()
    assert confirmed.confirmed_at is not None

    # A new fiche in the Loire, another elsewhere; the next day's pass sends the digest.
    fresh = make_fiche(3, [("departement", "42")], first_published_at=timezone.now())
    make_fiche(4, [("departement", "69")], first_published_at=timezone.now())
    assert send_digests(confirmed.checked_until + timedelta(days=1)) == 1
    digest = next(m for m in mail.outbox if m.to == [ADDRESS] and "correspond" in m.subject)
    received, text = text_as_received(digest)
    assert f"* {fresh.public_name} — " in text
    assert "Foyer 2" not in text and "Foyer 4" not in text and "Foyer 1" not in text
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The fiche's link opens it; the unsubscribe link asks before erasing.
    page.goto(live_site + path_in(text, f"/fiches/{fresh.uid}/"))
    assert page.get_by_role("heading", level=1, name=fresh.public_name).is_visible()
    page.goto(live_site + path_in(text, "/alertes/desinscription/"))
    settle(page)
    assert SearchAlert.objects.exists()
    page.get_by_role("button", name="Me désinscrire").click()
    settle(page)
    assert page.get_by_role("heading", name="Vous êtes désinscrit·e").is_visible()
    assert not SearchAlert.objects.exists()
