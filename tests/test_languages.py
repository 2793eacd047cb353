"""French and English: the language is in the address (/en/…), every public page and
every embedded page links to the same page in the other language, the demo exists in
both, and each email speaks its reader's language, links included."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from home.models import HomePage
from profiles_module.contact.forms import ContactForm
from profiles_module.models import MapPage, Profile
from tests.factories import make_partner, make_profile, publish_form_data
from tests.helpers import admin_form_data, confirm_link, links, path_of

pytestmark = pytest.mark.django_db


def switch(html):
    """{language code: href} of the language switch; the current language maps to None."""
    nav = re.search(r'<nav class="language-switch".*?</nav>', html, re.S)
    assert nav, "no language switch"
    found = {}
    for item in re.findall(r"<li>(.*?)</li>", nav.group(0), re.S):
        code = re.search(r'lang="(\w+)"', item).group(1)
        href = re.search(r'href="([^"]+)"', item)
        found[code] = href.group(1).replace("&amp;", "&") if href else None
    return found


def test_the_address_decides_the_language_not_the_browser(client, map_page):
    french = client.get(map_page.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    english = client.get("/en" + map_page.url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in french and "Rechercher" in french
    assert '<html lang="en">' in english and "Search" in english


def test_the_switch_leads_to_the_same_search_in_the_other_language(client, map_page):
    query = "?q=jardin&page=2"
    french = client.get(map_page.url + query).content.decode()
    assert switch(french) == {"fr": None, "en": "/en/trouver/" + query}
    english = client.get("/en/trouver/" + query).content.decode()
    assert switch(english) == {"fr": "/trouver/" + query, "en": None}


def test_the_switch_of_a_fiche_and_of_a_form_keeps_the_page(client, map_page):
    profile = make_profile(public_name="Camille")
    page = client.get(profile.get_absolute_url(), {"back": "/trouver/"}).content.decode()
    # The back link names a French page: the English fiche does without it.
    assert switch(page)["en"] == "/en" + profile.get_absolute_url()
    english = client.get("/en" + profile.get_absolute_url()).content.decode()
    assert "Camille" in english and '<html lang="en">' in english
    assert switch(client.get("/en/futurs-voisins/nouveau-lien/").content.decode()) == {
        "fr": "/futurs-voisins/nouveau-lien/",
        "en": None,
    }


def test_a_translated_page_with_its_own_slug_is_linked_by_its_address(client, map_page):
    locale = Locale.objects.create(language_code="en")
    english = map_page.copy_for_translation(locale, copy_parents=True)
    assert english.get_parent().live  # the English home page: an alias of the French one
    english.title, english.slug = "Find future neighbours", "find"
    english.save_revision().publish()
    assert switch(client.get(map_page.url).content.decode())["en"] == "/en/find/"
    assert switch(client.get("/en/find/").content.decode())["fr"] == "/trouver/"


def test_the_switch_follows_a_translation_renamed_or_withdrawn_at_once(client, map_page):
    locale = Locale.objects.create(language_code="en")
    english = map_page.copy_for_translation(locale, copy_parents=True)
    english.slug = "find"
    english.save_revision().publish()
    assert switch(client.get(map_page.url).content.decode())["en"] == "/en/find/"
    english.slug = "search"
    english.save_revision().publish()
    assert switch(client.get(map_page.url).content.decode())["en"] == "/en/search/"
    english.refresh_from_db()
    english.unpublish()
    # No English page any more: the same address with the language prefix.
    assert switch(client.get(map_page.url).content.decode())["en"] == "/en/trouver/"


def test_embedded_pages_switch_inside_the_frame(client, map_page):
    make_partner(slug="loire", allowed_origins="https://loire.example.org")
    make_profile(public_name="Camille")
    html = client.get("/integration/loire/en/trouver/").content.decode()
    assert "/integration/loire/en/futurs-voisins/fiches/" in html  # the result's link
    assert '<html lang="en">' in html
    assert switch(html) == {"fr": "/integration/loire/trouver/", "en": None}
    # Links built during the request stay in the frame and in English.
    assert 'action="/integration/loire/en/trouver/"' in html


def test_admin_and_unknown_language_prefixes_are_not_pages(client, map_page):
    assert client.get("/en/admin/").status_code == 404
    assert client.get("/de/trouver/").status_code == 404


@pytest.fixture
def demo(home):
    call_command("setup_demo", profiles=5, verbosity=0)


def test_the_demo_exists_in_english(client, demo):
    html = client.get("/en/").content.decode()
    assert "helps you find the households" in html
    menu = re.search(r'<nav aria-label="Sections">.*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu) == [
        ("/en/trouver/", "Find future neighbours"),
        ("/en/auvergne-rhone-alpes/", "Future neighbours in Auvergne-Rhône-Alpes"),
        ("/en/publier-ma-fiche/", "Publish my profile"),
        ("/en/les-chiffres/", "Figures"),
        ("/en/projets/", "Projects"),
        ("/en/contacter-l-equipe/", "Contact the team"),
    ]
    # The counts link to the English maps; the footer to the English legal texts.
    assert 'href="/en/auvergne-rhone-alpes/"' in html.split("Sections")[0]
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer) == [
        ("/en/mentions-legales/", "Legal notice"),
        ("/en/confidentialite/", "Privacy notice"),
        ("/en/accessibilite/", "Accessibility"),
    ]
    privacy = client.get("/en/confidentialite/").content.decode()
    assert "tile server" in privacy and "tile.openstreetmap.org" in privacy
    # Every page of the English tree answers, and its switch leads to the French page.
    for page in HomePage.objects.get(locale__language_code="en").get_descendants().live():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        french = switch(response.content.decode())["fr"]
        assert client.get(french).status_code == 200, french
    # Run again, nothing is duplicated.
    call_command("setup_demo", profiles=0, verbosity=0)
    assert MapPage.objects.filter(locale__language_code="en").count() == 2


def test_the_partner_preview_shows_the_frames_of_its_language(client, demo):
    html = client.get("/en/apercu-integration/aura/").content.decode()
    frames = re.findall(r'<iframe src="([^"]+)"', html)
    assert frames and all("/integration/aura/en/" in src for src in frames)
    french = client.get("/apercu-integration/aura/").content.decode()
    assert not any("/en/" in src for src in re.findall(r'<iframe src="([^"]+)"', french))


def test_a_fiche_published_in_english_gets_english_emails_and_links(client, publish_page):
    client.post("/en" + publish_page.url, publish_form_data())
    profile = Profile.objects.get()
    assert profile.language == "en"
    email = mail.outbox[0]
    assert email.subject == "Confirm your profile"
    link = confirm_link(email)
    assert link.startswith("/en/futurs-voisins/confirmer/")
    assert '<html lang="en">' in client.get(link).content.decode()
    manage = client.post(link)["Location"]
    assert manage.startswith("/en/")
    assert "Your profile" in client.get(manage).content.decode()
    # Months later, the lifecycle's emails still carry English links.
    from profiles_module.publication.lifecycle import send_new_link

    mail.outbox.clear()
    send_new_link(profile.email, None)
    assert all(path_of(url).startswith("/en/") for url in links(mail.outbox[0]))


def contact_token(profile):
    # Shown ten seconds ago: the relay refuses forms sent faster than a person types.
    ten_seconds_ago = timezone.now().timestamp() - 10
    with mock.patch("django.core.signing.time.time", return_value=ten_seconds_ago):
        return ContactForm(profile=profile).initial["form_token"]


def test_each_contact_email_speaks_its_readers_language(client):
    household = make_profile(public_name="Dominique", email="dominique@example.org")
    data = {
        "sender_name": "Sam",
        "sender_address": "sam@example.net",
        "message": "Hello, we are looking near Saint-Étienne too.",
        "website": "",
        "form_token": contact_token(household),
    }
    url = f"/en/futurs-voisins/fiches/{household.uid}/contact/"
    assert client.post(url, data).status_code == 302
    verify = mail.outbox[-1]
    assert verify.to == ["sam@example.net"]
    assert verify.subject.startswith("Confirm your address")
    verify_url = next(path_of(u) for u in links(verify) if "/contact/confirmer/" in u)
    assert verify_url.startswith("/en/futurs-voisins/contact/confirmer/")
    mail.outbox.clear()
    assert client.post(verify_url).status_code in (200, 302)
    to_household = next(m for m in mail.outbox if m.to == ["dominique@example.org"])
    copy = next(m for m in mail.outbox if m.to == ["sam@example.net"])
    # The household published in French: French words, French links.
    assert "vous a écrit" in to_household.subject
    household_links = [path_of(u) for u in links(to_household) if "/futurs-voisins/" in u]
    assert household_links and not any(link.startswith("/en/") for link in household_links)
    assert any("/contact/bloquer/" in link for link in household_links)
    # The sender wrote in English: their copy is English, links included.
    assert copy.subject.startswith("Copy of your message")
    copy_links = [path_of(u) for u in links(copy) if "/futurs-voisins/" in u]
    assert copy_links and all(link.startswith("/en/") for link in copy_links)


def test_a_page_created_in_the_admin_appears_in_english_until_translated(
    client, admin_client, home
):
    english_home = home.copy_for_translation(Locale.objects.create(language_code="en"))
    english_home.save_revision().publish()
    add = reverse("wagtailadmin_pages:add", args=["home", "contentpage", home.pk])
    data = admin_form_data(admin_client.get(add), "page-edit-form") | {
        "title": ["Nouvelles du réseau"],
        "slug": ["nouvelles"],
        "body-count": ["0"],  # the stream's inputs are drawn by the admin's scripts
        "action-publish": ["action-publish"],
    }
    assert admin_client.post(add, data).status_code == 302
    # In English at once, showing the French text until an editor translates it.
    response = client.get("/en/nouvelles/")
    assert response.status_code == 200
    assert "<h1>Nouvelles du réseau</h1>" in response.content.decode()
    assert switch(response.content.decode())["fr"] == "/nouvelles/"
