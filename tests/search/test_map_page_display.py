"""What the map page shows before any script runs: its count, its title, where its map opens."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.html import parse_html
from django.utils import translation

from profiles_module.models import Commune, ProfileOption
from tests.factories import make_map_page, make_profile
from tests.search import map_options

pytestmark = pytest.mark.django_db

BREST, STRASBOURG, AJACCIO = (48.39, -4.49), (48.57, 7.75), (41.93, 8.74)


def contains(bounds, point):
    (south, west), (north, east) = bounds
    return south <= point[0] <= north and west <= point[1] <= east


def area_buttons(response):
    html = response.content.decode()
    return re.findall(r'<button[^>]*data-bounds="[^"]*">([^<]+)</button>', html)


def test_the_count_groups_thousands_as_the_language_does():
    with translation.override("fr"):
        french = render_to_string("profiles_module/map/count.html", {"count": 2853})
    with translation.override("en"):
        english = render_to_string("profiles_module/map/count.html", {"count": 2853})
    assert french.strip() == "2\u00a0853 foyers correspondent à votre recherche"
    assert english.strip() == "2,853 households match your search"


def test_the_home_page_title_names_the_site_once(client, home):
    home = home.specific
    home.title = "Futurs voisins"
    home.save_revision().publish()
    map_page = make_map_page(slug="trouver")
    assert "<title>Futurs voisins</title>" in client.get("/").content.decode()
    assert "<title>Trouver des futurs voisins · Futurs voisins</title>" in (
        client.get(map_page.url).content.decode()
    )


def test_a_national_map_opens_on_metropolitan_france_and_offers_overseas(client, map_page):
    response = client.get(map_page.url)
    bounds = map_options(response)["bounds"]
    assert all(contains(bounds, city) for city in (BREST, STRASBOURG, AJACCIO))
    buttons = area_buttons(response)
    assert buttons[0] == "France métropolitaine"
    assert {"Guadeloupe", "Martinique", "La Réunion"} <= set(buttons)


def test_a_regional_map_opens_on_its_territory(client):
    page = make_map_page(slug="loire", departements=("42",))
    response = client.get(page.url)
    (south, west), (north, east) = map_options(response)["bounds"]
    loire = Commune.objects.filter(departement__code="42")
    assert south == min(loire.values_list("latitude", flat=True))
    assert east == max(loire.values_list("longitude", flat=True))
    assert north - south < 2 and east - west < 2
    assert area_buttons(response) == []


def test_an_overseas_map_opens_on_its_departement(client):
    page = make_map_page(slug="reunion", departements=("974",))
    bounds = map_options(client.get(page.url))["bounds"]
    saint_denis = Commune.objects.get(insee_code="97411")
    assert contains(bounds, (saint_denis.latitude, saint_denis.longitude))
    assert not contains(bounds, BREST)


def test_french_punctuation_never_starts_a_line(client, map_page):
    html = client.get(map_page.url + "?km=abc").content.decode()
    assert "Certains critères n'ont pas été compris et ont été ignorés\u00a0:" in html
    assert not re.search(r"\w [?!:;]", parse_html(html).__str__().split("<main", 1)[-1])


@pytest.mark.parametrize("language, separator", [("fr", "\u00a0"), ("en", ",")])
def test_the_map_groups_thousands_as_the_count_does(client, map_page, language, separator):
    # The count squares take the page's separator: the same as the count's above the map.
    prefix = "" if language == "fr" else "/en"
    response = client.get(prefix + map_page.url)
    assert map_options(response)["thousands"] == separator


def test_the_page_brings_the_count_squares_some_visitor_had_counted(client, map_page):
    # A map that asked for its national view had its zoom's squares counted for everyone:
    # the next visitors' page brings them, so their map need not ask.
    for commune in ("42218", "69123", "29019"):
        make_profile(commune=commune)
    assert map_options(client.get(map_page.url))["cells"] == {}
    endpoint = map_options(client.get(map_page.url))["endpoint"]
    asked = client.get(endpoint + "&zoom=5&bbox=-180,-90,180,90").json()["features"]
    assert map_options(client.get(map_page.url))["cells"] == {
        "5": [[*cell["geometry"]["coordinates"], cell["properties"]["count"]] for cell in asked]
    }
    assert sum(cell["properties"]["count"] for cell in asked) == 3


def test_a_page_with_criteria_brings_no_count_squares(client, map_page):
    # It opens on its results, often zoomed in, and a live search's map asks for its own.
    make_profile(commune="42218", tenure="cooperative")
    endpoint = map_options(client.get(map_page.url + "?tenure=cooperative"))["endpoint"]
    cells = client.get(endpoint + "&zoom=5&bbox=-180,-90,180,90").json()["features"]
    assert [cell["properties"]["count"] for cell in cells] == [1]
    assert map_options(client.get(map_page.url + "?tenure=cooperative"))["cells"] == {}


def test_only_a_search_by_place_moves_the_map_to_its_results(client, map_page):
    # A tenure's first page of results may hold an overseas fiche: the map would show
    # half the globe. It stays on metropolitan France; a département moves it there.
    make_profile(commune="42218", tenure="cooperative", email="loire@example.org")
    make_profile(commune="97411", tenure="cooperative", email="reunion@example.org")
    national = map_options(client.get(map_page.url))
    ticked = map_options(client.get(map_page.url + "?tenure=cooperative"))
    assert ticked["bounds"] == national["bounds"]
    assert contains(ticked["bounds"], BREST) and not ticked["followsResults"]
    loire = map_options(client.get(map_page.url + "?departement=42&tenure=cooperative"))
    assert loire["followsResults"]
    assert not contains(loire["bounds"], BREST)


def kinds_of_project_on_cards(response):
    """{public name: its card's "Type de projet" line, or None}."""
    html = response.content.decode()
    found = {}
    for card in re.findall(r'<article class="fv-card".*?</article>', html, re.S):
        name = re.search(r'<a href="[^"]*">([^<]+)</a>', card).group(1)
        line = re.search(r"<dt>Type de projet</dt><dd>([^<]*)</dd>", card)
        found[name] = line.group(1) if line else None
    return found


def test_a_card_names_its_kinds_of_project_in_their_order_and_follows_a_change(client, map_page):
    kinds = {o.slug: o for o in ProfileOption.objects.filter(category="project_kind")}
    fiche = make_profile(public_name="Les Tilleuls")
    fiche.project_kinds.set([kinds["renovation"], kinds["new_build"]])
    fiche.save()
    make_profile(public_name="Sans préférence", email="autre@example.org")
    with override_settings(PROFILES_MAP_PAGE_CACHE_SECONDS=0):
        assert kinds_of_project_on_cards(client.get(map_page.url)) == {
            "Les Tilleuls": "construction neuve, réhabilitation",
            "Sans préférence": None,
        }
        fiche.project_kinds.set([kinds["renovation"]])
        fiche.save()
        assert kinds_of_project_on_cards(client.get(map_page.url))["Les Tilleuls"] == (
            "réhabilitation"
        )
