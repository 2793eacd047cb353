"""The host site's legal notice, privacy notice and accessibility statement: in the demo,
editable in the admin, and linked from the footer of every public and embedded page."""

import html as html_lib
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import ContentPage, LegalPage
from tests.factories import make_map_page, make_partner, make_profile

pytestmark = pytest.mark.django_db

TITLES = ["Mentions légales", "Politique de confidentialité", "Accessibilité"]


@pytest.fixture
def demo(home):
    call_command("setup_demo", profiles=0, verbosity=0)
    pages = LegalPage.objects.live().filter(locale__language_code="fr")
    return {page.title: page for page in pages}


def footer_links(html):
    footer = re.search(r"<footer.*?</footer>", html, re.S)
    assert footer, "no footer"
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer.group(0))
    }


def test_the_demo_has_the_three_legal_pages(client, demo):
    assert sorted(demo) == sorted(TITLES)
    for page in demo.values():
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{page.title}</h1>" in response.content.decode()


def test_the_privacy_notice_names_the_tile_server_the_relay_and_the_cookies(client, demo):
    html = client.get(demo["Politique de confidentialité"].url).content.decode()
    assert "tile.openstreetmap.org" in html
    assert "fv_contact_sender" in html
    assert "24 mois" in html and "30 jours" in html
    # Search alerts: erased after 3 days unconfirmed, kept until unsubscribed.
    assert "une alerte non confirmée est effacée après 3 jours" in html
    assert "Une alerte confirmée dure" in html and "désinscription" in html


def test_the_accessibility_statement_says_partially_compliant(client, demo):
    html = client.get(demo["Accessibilité"].url).content.decode()
    assert "partiellement conforme" in html


def test_home_map_and_profile_pages_link_to_the_legal_pages(client, demo):
    map_page = make_map_page(slug="carte")
    profile = make_profile()
    for path in ["/", map_page.url, profile.get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 200, path
        links = footer_links(response.content.decode())
        for title in TITLES:
            assert links.get(title) == demo[title].url, (path, title)


def test_the_footer_follows_a_legal_page_renamed_withdrawn_or_added_at_once(client, demo):
    map_page = make_map_page(slug="carte")
    assert footer_links(client.get(map_page.url).content.decode())["Accessibilité"]
    accessibility = demo["Accessibilité"]
    accessibility.title = "Déclaration d'accessibilité"
    accessibility.save_revision().publish()
    links = footer_links(client.get(map_page.url).content.decode())
    assert "Accessibilité" not in links
    assert links["Déclaration d&#x27;accessibilité"] == accessibility.url
    demo["Mentions légales"].unpublish()
    assert "Mentions légales" not in footer_links(client.get(map_page.url).content.decode())
    home = demo["Mentions légales"].get_parent()
    credits = home.add_child(
        instance=LegalPage(title="Crédits", slug="credits", body="<p>Photos : …</p>")
    )
    assert footer_links(client.get(map_page.url).content.decode())["Crédits"] == credits.url


def test_the_frame_asks_the_page_tree_once_for_its_links(client, demo):
    """The second visit of a page finds the legal pages and the translations' addresses
    in the shared cache."""
    map_page = make_map_page(slug="carte")
    with CaptureQueriesContext(connection) as first:
        client.get(map_page.url)
    with CaptureQueriesContext(connection) as second:
        response = client.get(map_page.url)
    assert footer_links(response.content.decode())["Mentions légales"] == (
        demo["Mentions légales"].url
    )
    assert "home_legalpage" in " ".join(query["sql"] for query in first)
    assert "home_legalpage" not in " ".join(query["sql"] for query in second)
    # The legal pages in the page's language, and the page in each language.
    assert len(second) <= len(first) - 6, (len(first), len(second))


def test_embedded_pages_link_to_the_national_legal_pages_in_a_new_tab(client, demo):
    make_partner()
    map_page = make_map_page(slug="carte")
    html = client.get(f"/integration/loire{map_page.url}").content.decode()
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    for title in TITLES:
        link = re.search(
            rf'<a href="([^"]+)" target="_blank" rel="noopener">{title} \(nouvel onglet\)</a>',
            footer,
        )
        assert link, title
        # The national site's page (this same server), not the embedded one.
        assert link.group(1) == "http://testserver" + demo[title].url


def test_maps_credit_openstreetmap_in_french(client, home):
    map_page = make_map_page(slug="carte")
    html = client.get(map_page.url).content.decode()
    tiles = json.loads(re.search(r'id="fv-map-tiles"[^>]*>(.*?)</script>', html, re.S).group(1))
    credit = html_lib.unescape(re.sub(r"<[^>]+>", "", tiles["options"]["attribution"]))
    assert credit == "© les contributeurs d'OpenStreetMap"


def test_a_site_without_legal_pages_links_to_those_of_the_default_site(client, demo, home):
    root = ContentPage(title="Habitat participatif Loire", slug="loire")
    home.add_child(instance=root)
    root.save_revision().publish()
    Site.objects.create(hostname="loire.example.org", port=80, root_page=root, site_name="Loire")
    html = client.get("/", HTTP_HOST="loire.example.org").content.decode()
    links = footer_links(html)
    for title in TITLES:
        assert links.get(title) == demo[title].full_url, title
