"""Every public form, sent with a mistake, comes back with its errors, what was typed and
a CSRF token the server accepts; corrected, it goes through. Tried with CSRF checks on,
as a browser meets them."""

import pytest
from django.core import mail
from django.test import Client

from home.management.commands.setup_demo import create_contact_page
from home.models import ContentPage
from profiles_module.models import Profile
from tests.factories import make_profile, manage_link, publish_form_data
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    return Client(enforce_csrf_checks=True)


def send_with_a_mistake_then_correct(client, page_url, action, typed, corrections):
    """Fill the form of `page_url` posting to `action` with `typed` (incomplete), send
    it, check what comes back, then send it again with `corrections`; returns the last
    response."""
    data = admin_form_data(client.get(page_url), form_action=action)
    data.update(typed)
    target = action.split("#", 1)[0]
    failed = client.post(target, data)
    assert failed.status_code in (200, 400)
    html = failed.content.decode()
    assert "fv-error-summary" in html or 'aria-invalid="true"' in html, "no error shown"
    again = admin_form_data(failed, form_action=action)
    assert again["csrfmiddlewaretoken"] != [""]
    for name, value in typed.items():
        assert again.get(name) == value, f"{name} was not kept"
    again.update(corrections)
    response = client.post(target, again, follow=True)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def test_the_publication_form(browser_client, publish_page):
    complete = publish_form_data(email="sacha@example.org", public_name="Sacha")
    typed = {"public_name": ["Sacha"], "presentation": ["Un jardin, des voisins."]}
    corrections = {
        name: [value] for name, value in complete.items() if name not in typed and value != ""
    }
    response = send_with_a_mistake_then_correct(
        browser_client, publish_page.url, publish_page.url, typed, corrections
    )
    assert "Vérifiez votre boîte mail" in response.content.decode()
    assert Profile.objects.get().presentation == "Un jardin, des voisins."


def test_the_contact_form_of_a_fiche(browser_client):
    fiche = make_profile(public_name="Camille", email="camille@example.org")
    action = f"/futurs-voisins/fiches/{fiche.uid}/contact/#contact"
    typed = {"sender_name": ["Sacha"], "message": ["Bonjour, toujours à Firminy ?"]}
    send_with_a_mistake_then_correct(
        browser_client,
        fiche.get_absolute_url(),
        action,
        typed,
        {"sender_address": ["sacha@example.net"]},
    )
    assert mail.outbox[-1].to == ["sacha@example.net"]  # the address to confirm


def test_the_contact_block_of_a_page(browser_client, home):
    create_contact_page(home)
    page = ContentPage.objects.get()
    html = browser_client.get(page.url).content.decode()
    action = html.split('action="/futurs-voisins/contact/bloc/', 1)[1].split('"', 1)[0]
    action = "/futurs-voisins/contact/bloc/" + action
    typed = {"sender_name": ["Sacha"], "message": ["Une question sur le réseau."]}
    send_with_a_mistake_then_correct(
        browser_client, page.url, action, typed, {"sender_address": ["sacha@example.net"]}
    )
    assert mail.outbox[-1].to == ["sacha@example.net"]


def test_the_owners_edit_form(browser_client):
    fiche = make_profile(public_name="Camille", email="camille@example.org")
    link = manage_link(fiche)
    opened = admin_form_data(browser_client.get(link), form_action=link)
    assert browser_client.post(link, opened).status_code == 302
    edit = "/futurs-voisins/ma-fiche/modifier/"
    typed = {"public_name": [""], "presentation": ["Nous cherchons vers Lyon."]}
    response = send_with_a_mistake_then_correct(
        browser_client, edit, edit, typed, {"public_name": ["Camille et Lou"]}
    )
    fiche.refresh_from_db()
    assert fiche.public_name == "Camille et Lou"
    assert fiche.presentation == "Nous cherchons vers Lyon."
    assert response.redirect_chain


def test_the_new_link_request(browser_client, publish_page):
    make_profile(public_name="Camille", email="camille@example.org")
    page = "/futurs-voisins/nouveau-lien/"
    send_with_a_mistake_then_correct(
        browser_client, page, page, {"email": ["camille@"]}, {"email": ["camille@example.org"]}
    )
    assert mail.outbox[-1].to == ["camille@example.org"]


def test_the_alert_form_of_a_map_page(browser_client, map_page):
    """Without a CSRF token: the map page is the same for everyone (no cookie)."""
    from profiles_module.models import SearchAlert
    from tests.alerts.helpers import alert_form_data

    page = browser_client.get(f"{map_page.url}?departement=42")
    assert "csrftoken" not in page.cookies
    data = alert_form_data(page, "lou.visiteuse@example", "daily")
    failed = browser_client.post("/futurs-voisins/alertes/", data)
    assert failed.status_code == 400
    assert "fv-error-summary" in failed.content.decode()
    again = alert_form_data(failed, "lou.visiteuse@example.net")
    assert again["frequency"] == ["daily"] and again["query"] == ["departement=42"]
    assert 'value="lou.visiteuse@example"' in failed.content.decode()
    response = browser_client.post("/futurs-voisins/alertes/", again, follow=True)
    assert "Vérifiez votre boîte" in response.content.decode()
    alert = SearchAlert.objects.get()
    assert (alert.email, alert.frequency, alert.query) == (
        "lou.visiteuse@example.net",
        "daily",
        "departement=42",
    )
