"""The map page and the fiche map as a keyboard user, a phone user and a French reader meet them."""

import re

import pytest

from profiles_module.models import Commune, Profile, Sector
from tests.browser import settle
from tests.factories import make_map_page, make_profile

BREST, STRASBOURG, AJACCIO = (48.39, -4.49), (48.57, 7.75), (41.93, 8.74)
CELL_NAME = re.compile(r"^\d+ fiches? — zoomer$")


def shown_bounds(page):
    """(west, south, east, north) the map shows once its profiles are drawn."""
    page.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.bounds")
    page.wait_for_function(
        "() => !document.querySelector('[data-fv-map]').hasAttribute('aria-busy')"
    )
    value = page.locator("[data-fv-map]").get_attribute("data-bounds")
    return tuple(float(v) for v in value.split(","))


def shows(bounds, point):
    west, south, east, north = bounds
    return south <= point[0] <= north and west <= point[1] <= east


def focused(page, expression):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {expression}; }})()")


@pytest.mark.browser
@pytest.mark.parametrize("browser_page", ["page", "mobile_page"])
def test_the_national_map_opens_on_all_of_metropolitan_france(request, live_site, browser_page):
    tab = request.getfixturevalue(browser_page)
    map_page = make_map_page(slug="trouver")
    tab.goto(live_site + map_page.url)
    if browser_page == "mobile_page":
        # On a phone the results show as a list first, the map one tap away.
        tab.get_by_role("button", name="Sur la carte").click()
    bounds = shown_bounds(tab)
    for city in (BREST, STRASBOURG, AJACCIO):
        assert shows(bounds, city), (city, bounds)
    # Overseas départements are one button away.
    before = bounds
    tab.get_by_role("button", name="La Réunion").click()
    tab.wait_for_function(
        "b => document.querySelector('[data-fv-map]').dataset.bounds !== b",
        arg=",".join(str(v) for v in before),
    )
    assert shows(shown_bounds(tab), (-20.93, 55.45))
    settle(tab)


@pytest.mark.browser
@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_count_squares_are_named_buttons_that_zoom_from_the_keyboard(page, live_site, key):
    map_page = make_map_page(slug="trouver")
    for commune in ("42218", "42187", "69123", "75056"):
        make_profile(commune=commune)
    page.goto(live_site + map_page.url)
    before = shown_bounds(page)
    cells = page.get_by_role("button", name=CELL_NAME)
    cells.first.wait_for()
    # Tab from the map into its squares.
    page.locator("[data-fv-map]").focus()
    page.keyboard.press("Tab")
    name = focused(page, "e.getAttribute('aria-label')")
    assert CELL_NAME.match(name), name
    page.keyboard.press(key)
    page.wait_for_function(
        "b => document.querySelector('[data-fv-map]').dataset.bounds !== b",
        arg=",".join(str(v) for v in before),
    )
    after = shown_bounds(page)
    assert after[2] - after[0] < (before[2] - before[0]) / 2
    # The redraw keeps focus in the map, not on the page's body.
    assert focused(page, "e !== document.body && !!e.closest('[data-fv-map]')")
    settle(page)


@pytest.mark.browser
def test_a_skip_link_leads_to_the_results(page, live_site):
    map_page = make_map_page(slug="trouver")
    make_profile(commune="42218")
    page.goto(live_site + map_page.url)
    settle(page)
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page, "e.textContent.trim()") == "Aller aux résultats":
            break
    else:
        raise AssertionError("No skip link to the results among the first Tab stops")
    page.keyboard.press("Enter")
    assert focused(page, "e.id") == "fv-results-count"
    settle(page)


@pytest.mark.browser
def test_after_a_search_focus_is_on_the_result_count(page, live_site):
    map_page = make_map_page(slug="trouver")
    make_profile(commune="42218")
    page.goto(live_site + map_page.url)
    page.select_option("#id_departement", "42")
    page.get_by_role("button", name="Rechercher").click()
    # Searched in place (search-live.js), then the focus goes to the new count.
    page.wait_for_function("() => document.activeElement.id === 'fv-results-count'")
    assert focused(page, "e.textContent.trim()") == "1 foyer correspond à votre recherche"
    settle(page)


@pytest.mark.browser
def test_the_maps_speak_french(page, live_site):
    map_page = make_map_page(slug="trouver")
    profile = make_profile(commune="42218")
    for url, selector in (
        (map_page.url, "[data-fv-map]"),
        (profile.get_absolute_url(), "[data-fv-sector-map]"),
    ):
        page.goto(live_site + url)
        page.locator(f"{selector}.leaflet-container").wait_for()
        zoom_in = page.locator(f"{selector} .leaflet-control-zoom-in")
        zoom_out = page.locator(f"{selector} .leaflet-control-zoom-out")
        assert zoom_in.get_attribute("title") == "Zoom avant"
        assert zoom_out.get_attribute("title") == "Zoom arrière"
        credit = page.locator(f"{selector} .leaflet-control-attribution a").first
        assert credit.get_attribute("title") == "Une bibliothèque JavaScript de cartes interactives"
        settle(page)


@pytest.mark.browser
def test_the_fiche_map_nests_no_control_in_an_image(page, live_site):
    page.goto(live_site + make_profile(commune="42218").get_absolute_url())
    page.locator("[data-fv-sector-map].leaflet-container").wait_for()
    # axe-core's nested-interactive: nothing focusable inside an element shown as an image.
    nested = page.evaluate(
        """[...document.querySelectorAll('[role=img]')].flatMap(img => [...img.querySelectorAll(
            'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')])
            .length"""
    )
    assert nested == 0
    assert page.get_by_role("region", name="Carte des secteurs souhaités").count() == 1
    settle(page)


@pytest.mark.browser
def test_a_count_square_groups_thousands_as_the_page_count_does(page, live_site):
    map_page = make_map_page(slug="trouver")
    # Lyon's households, stored in a few queries as seed_demo stores its own (bulk_create
    # skips save(), which places each on the map from its sector).
    lyon = Commune.objects.get(insee_code="69123")
    profiles = Profile.objects.bulk_create(
        make_profile(save=False, latitude=lyon.latitude, longitude=lyon.longitude)
        for _ in range(1200)
    )
    Sector.objects.bulk_create(
        Sector(profile=profile, kind=Sector.Kind.COMMUNE, commune=lyon, radius_km=10)
        for profile in profiles
    )
    Profile.objects.refresh_facets()
    page.goto(live_site + map_page.url)
    square = page.get_by_role("button", name="1 200 fiches — zoomer")
    # The same space as the count's, character for character (Playwright's own matching
    # takes every space for any other).
    count = page.locator("#fv-results-count").text_content().strip()
    assert count.startswith("1\u00a0200 ")
    assert square.text_content() == "1\u00a0200"
    assert square.get_attribute("aria-label") == "1\u00a0200 fiches — zoomer"
    settle(page)
