"""A map page rendered for a browser that sends no cookie is served again, whole, to the
next such browser; what a visitor sees still follows every change at once, and nothing of
one visitor's page (an editor's toolbar, a frame's nonce) reaches another's."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import make_partner, make_profile
from tests.search import map_options

pytestmark = pytest.mark.django_db

RENTALS = "/trouver/?tenure=rental"
MAP_DATA = "/futurs-voisins/api/v1/profiles/map/"


@pytest.fixture(autouse=True)
def rental(map_page):
    return make_profile(tenure="rental")


def searched(client, path=RENTALS):
    """The page, and whether it was searched for (the fiches listed read) to answer."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, any("profiles_module_profile" in q["sql"] for q in queries)


def count(response):
    return re.search(r'id="fv-results-count"[^>]*>\s*(\d+)', response.content.decode())[1]


def test_the_next_visitor_gets_the_same_page_without_a_search(client, map_page):
    first, first_searched = searched(client)
    again, again_searched = searched(Client())
    assert first_searched and not again_searched
    assert again.content == first.content
    assert count(again) == "1"
    # Another browser's cookies may make another page: the answer says so to any cache.
    assert "Cookie" in again["Vary"]


def test_a_new_or_withdrawn_fiche_shows_at_once(client, map_page):
    assert count(client.get(RENTALS)) == "1"
    other = make_profile(tenure="rental", commune="69123", email="lyon@example.org")
    assert count(client.get(RENTALS)) == "2"
    other.unpublish()
    assert count(client.get(RENTALS)) == "1"
    assert "lyon" not in client.get(RENTALS).content.decode().lower()


def test_an_edited_page_shows_at_once(client, map_page):
    client.get(RENTALS)
    map_page.title = "Chercher des voisins"
    map_page.save_revision().publish()
    assert "<h1>Chercher des voisins</h1>" in client.get(RENTALS).content.decode()


def test_a_signed_in_editor_neither_gets_nor_leaves_a_visitors_page(client, admin_client, map_page):
    client.get(RENTALS)
    editor, editor_searched = searched(admin_client)
    assert editor_searched
    assert "wagtail-userbar" in editor.content.decode()
    visitor, _ = searched(Client())
    assert "wagtail-userbar" not in visitor.content.decode()


def test_a_browser_with_a_cookie_gets_a_page_of_its_own(client, map_page):
    client.get(RENTALS)
    client.cookies["sessionid"] = "anything"
    assert searched(client)[1]


def test_a_page_without_criteria_is_kept_once_it_brings_its_count_squares(client, map_page):
    assert searched(client, "/trouver/")[1]
    assert searched(client, "/trouver/")[1]  # not kept without its squares
    client.get(MAP_DATA + "?zoom=5")
    assert searched(client, "/trouver/")[1]
    assert not searched(client, "/trouver/")[1]


def test_a_kept_page_brings_the_count_squares_counted_after_it(client, map_page):
    # Kept with one zoom's squares (say a phone's map, a zoom further out), the page is
    # rendered again once another screen's map has its zoom's counted: the next visitor's
    # map draws them at once instead of asking, until the page would have expired.
    client.get(MAP_DATA + "?zoom=5")
    searched(client, "/trouver/")
    kept, kept_searched = searched(Client(), "/trouver/")
    assert not kept_searched and set(map_options(kept)["cells"]) == {"5"}
    client.get(MAP_DATA + "?zoom=6")
    again, again_searched = searched(Client(), "/trouver/")
    assert again_searched and set(map_options(again)["cells"]) == {"5", "6"}
    # A search with criteria brings no squares: counting its own leaves the pages kept.
    client.get(MAP_DATA + "?zoom=6&tenure=rental")
    assert not searched(Client(), "/trouver/")[1]


def test_an_embedded_page_is_never_kept(client, map_page):
    make_partner()
    nonces = set()
    for _ in range(2):
        response, was_searched = searched(client, "/integration/loire" + RENTALS)
        assert was_searched
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.add(nonce)
    assert len(nonces) == 2


@override_settings(PROFILES_MAP_PAGE_CACHE_SECONDS=0)
def test_a_site_can_render_each_page_anew(client, map_page):
    client.get(RENTALS)
    assert searched(client)[1]


def test_a_page_restricted_after_it_was_kept_asks_for_its_password(client, map_page, rental):
    assert rental.public_name in client.get(RENTALS).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=map_page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        html = client.get(RENTALS).content.decode()
        assert 'name="password"' in html
        assert rental.public_name not in html
    restriction.delete()
    assert rental.public_name in client.get(RENTALS).content.decode()


def test_a_restriction_on_a_parent_page_applies_at_once_to_searches(map_page, rental):
    browser = Client()
    browser.cookies["seen"] = "1"  # a browser with a cookie: its page searched each time
    assert rental.public_name in browser.get(RENTALS).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=map_page.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = browser.get(RENTALS).content.decode()
    assert 'name="password"' in html and rental.public_name not in html
    restriction.delete()
    assert rental.public_name in browser.get(RENTALS).content.decode()


def test_a_template_deployed_without_a_static_file_shows_at_once(client, map_page, tmp_path):
    """A deploy that changes a template, and no static file, starts new processes: the
    next visitor gets the page their code renders, not the one the old code kept."""
    from django.conf import settings
    from django.template import engines

    from profiles_module.search.page_cache import deployed_code

    count_template = tmp_path / "profiles_module" / "map" / "count.html"
    count_template.parent.mkdir(parents=True)
    count_template.write_text("{{ count }} foyers, avant")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    def deployed(text):
        count_template.write_text(text)
        deployed_code.cache_clear()  # what a new process finds on disk
        for engine in engines.all():
            for loader in engine.engine.template_loaders:
                loader.reset()

    with override_settings(TEMPLATES=templates):
        deployed_code.cache_clear()
        assert "1 foyers, avant" in client.get(RENTALS).content.decode()
        deployed("{{ count }} foyers, après")
        assert "1 foyers, après" in Client().get(RENTALS).content.decode()
    deployed_code.cache_clear()
