"""The map's first view before Leaflet has run (map-first-view.js): its data is asked for
while Leaflet loads, once, and the map shows what its view holds, as when search-map.js
asks for it itself; the count squares the page comes with are on screen before the map
is made, where the map then draws them."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import MAIN_SCRIPT, map_requests, settle
from tests.factories import make_map_page, make_profile

COMMUNES = ("42218", "42187", "69123", "75056", "29019", "13055", "2A004")


def national_map_page():
    """The national map page, with a fiche in each of COMMUNES."""
    map_page = make_map_page(slug="trouver")
    for commune in COMMUNES:
        make_profile(commune=commune)
    return map_page


def asked_for_its_view(tab):
    """What the map data answers for exactly the view shown: the count search-map.js
    would have drawn had it asked itself."""
    return tab.evaluate(
        """async () => {
          const map = document.querySelector('[data-fv-map]');
          const options = JSON.parse(document.getElementById('fv-map-options').textContent);
          const zoom = Math.floor(Number(map.dataset.zoom));
          const url = options.endpoint + '&zoom=' + zoom + '&bbox=' + map.dataset.bounds;
          const data = await (await fetch(url)).json();
          const count = data.features.reduce(
            (sum, f) => sum + (f.properties.count || 1), 0);
          return [data.mode, String(count)];
        }"""
    )


def asked_before_leaflet(url, tab):
    """Whether the request was map-first-view.js's: it asks for a margin around the view,
    where search-map.js asks for the view itself."""
    bbox = [float(v) for v in parse_qs(urlsplit(url).query)["bbox"][0].split(",")]
    shown = [float(v) for v in tab.locator("[data-fv-map]").get_attribute("data-bounds").split(",")]
    return bbox[0] < shown[0] and bbox[1] < shown[1] and bbox[2] > shown[2] and bbox[3] > shown[3]


def drawn(tab):
    tab.wait_for_function(
        "() => { const map = document.querySelector('[data-fv-map]');"
        " return map.dataset.count && !map.hasAttribute('aria-busy'); }"
    )
    return tab.locator("[data-fv-map]")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "mode", "count"),
    [
        ("", "cells", len(COMMUNES)),
        # A commune's search opens on its results, as markers.
        ("?commune=42218&km=50", "points", 2),
        # A shared view opens where it was shared: around Saint-Étienne and Lyon.
        ("?view=45.6,4.6,9", "points", None),
    ],
)
def test_the_first_view_is_drawn_from_one_request(page, live_site, query, mode, count):
    map_page = national_map_page()
    asked = map_requests(page)
    page.goto(live_site + map_page.url + query)
    shown = drawn(page)
    assert shown.get_attribute("data-mode") == mode
    drawn_count = shown.get_attribute("data-count")
    assert count is None or drawn_count == str(count)
    assert int(drawn_count) >= 2
    assert len(asked) == 1, asked
    assert asked_before_leaflet(asked[0], page)
    assert asked_for_its_view(page) == [mode, drawn_count]
    settle(page)


@pytest.mark.browser
def test_a_page_limited_to_a_region_is_drawn_from_one_request(page, live_site):
    map_page = make_map_page("En Bretagne", slug="bretagne", regions=["53"])
    for commune in COMMUNES:
        make_profile(commune=commune)
    asked = map_requests(page)
    page.goto(live_site + map_page.url)
    assert drawn(page).get_attribute("data-count") == "1"
    assert len(asked) == 1, asked
    assert asked_before_leaflet(asked[0], page)
    settle(page)


@pytest.mark.browser
def test_on_a_phone_the_map_shown_later_asks_for_its_own_view(mobile_page, live_site):
    map_page = national_map_page()
    mobile_page.goto(live_site + map_page.url)
    mobile_page.get_by_role("button", name="Sur la carte").click()
    assert drawn(mobile_page).get_attribute("data-count") == str(len(COMMUNES))
    settle(mobile_page)


@pytest.mark.browser
def test_the_next_visitor_gets_the_count_squares_with_the_page(page, live_site):
    # The first visitor's map asked for its view's squares, counted then for everyone: the
    # next visitor's page brings them, and the map draws them without asking.
    map_page = national_map_page()
    page.goto(live_site + map_page.url)
    assert drawn(page).get_attribute("data-count") == str(len(COMMUNES))
    asked = map_requests(page)
    page.goto(live_site + map_page.url)
    shown = drawn(page)
    assert shown.get_attribute("data-mode") == "cells"
    assert shown.get_attribute("data-count") == str(len(COMMUNES))
    assert asked == []
    # They are the squares the map would have asked for, and zoom in as any square does;
    # the next view is asked for.
    assert asked_for_its_view(page) == ["cells", str(len(COMMUNES))]
    asked.clear()
    zoom = shown.get_attribute("data-zoom")
    page.locator(".fv-cell").first.click()
    page.wait_for_function(
        "(zoom) => document.querySelector('[data-fv-map]').dataset.zoom !== zoom", arg=zoom
    )
    drawn(page)
    assert len(asked) == 1
    settle(page)


def squares(tab, selector):
    """The count squares on the map: what each shows, and where on the map (x, y, width,
    height; the map itself moves down when the page's scripts show the "copy the link"
    button above it)."""
    return sorted(
        tab.locator(selector).evaluate_all(
            """squares => squares.map((square) => {
              const map = document.querySelector('[data-fv-map]').getBoundingClientRect();
              const box = square.getBoundingClientRect();
              return [square.innerText, box.x - map.x, box.y - map.y, box.width, box.height];
            })"""
        )
    )


@pytest.mark.browser
def test_the_page_shows_its_count_squares_before_the_map_is_made(page, live_site):
    map_page = national_map_page()
    page.goto(live_site + map_page.url)  # the first visitor's map counts the squares
    drawn(page)
    # The page's scripts never arrive: the squares the page came with are on screen.
    page.route(MAIN_SCRIPT, lambda route: route.abort())
    page.goto(live_site + map_page.url)
    page.wait_for_selector(".fv-first-view .fv-cell")
    assert page.evaluate("() => typeof window.L") == "undefined"
    # A picture: hidden from screen readers, nothing to click or focus.
    assert page.locator(".fv-first-view").get_attribute("aria-hidden") == "true"
    assert page.get_by_role("button", name="1 fiche — zoomer").count() == 0
    before = squares(page, ".fv-first-view .fv-cell")
    # With them, the map replaces the picture by its own squares, at the same places.
    page.unroute(MAIN_SCRIPT)
    page.goto(live_site + map_page.url)
    drawn(page)
    assert page.locator(".fv-first-view").count() == 0
    after = squares(page, ".leaflet-marker-pane .fv-cell")
    assert [square[0] for square in before] == [square[0] for square in after]
    assert sum(int(square[0]) for square in after) == len(COMMUNES)
    for early, made in zip(before, after, strict=True):
        assert all(abs(a - b) <= 1 for a, b in zip(early[1:], made[1:], strict=True)), (
            early,
            made,
        )
    settle(page)


@pytest.mark.browser
def test_squares_that_would_overlap_are_drawn_as_one(page, live_site):
    # Bourg-lès-Valence and Pont-de-l'Isère, 6 km apart either side of 45° N, the edge of
    # two cells at national zoom: their squares would cover each other's count.
    map_page = make_map_page(slug="trouver")
    for commune in ("26058", "26250", "29019"):
        make_profile(commune=commune)
    page.goto(live_site + map_page.url)
    assert drawn(page).get_attribute("data-count") == "3"
    labels = page.locator(".fv-cell").evaluate_all(
        "squares => squares.map((square) => square.getAttribute('aria-label'))"
    )
    assert sorted(labels) == ["1 fiche — zoomer", "2 fiches — zoomer"]
    # The square counting both zooms on them, where each has its own.
    page.get_by_role("button", name="2 fiches — zoomer").click()
    page.wait_for_function("() => Number(document.querySelector('[data-fv-map]').dataset.zoom) > 7")
    assert drawn(page).get_attribute("data-count") == "2"
    settle(page)
