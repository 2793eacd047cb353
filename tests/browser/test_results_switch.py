"""On a phone the results show as a list or on the map, one at a time: the switch keeps
the criteria, the list's page and the map's view, and is remembered back from a fiche.
Wide screens show both, without a switch."""

import pytest

from tests.browser import map_requests, settle
from tests.factories import make_map_page, make_profile

VIEW = "() => document.querySelector('[data-fv-map]').dataset.bounds || ''"


@pytest.fixture
def map_page(live_site):
    page = make_map_page(slug="trouver")
    for number, (name, commune) in enumerate(
        [("Stéphane", "42218"), ("Romane", "42187"), ("Lyonnais", "69123")]
    ):
        make_profile(public_name=name, commune=commune, email=f"f{number}@example.org")
    return page


def pressed(page):
    return page.locator(".fv-switch [aria-pressed=true]").inner_text()


@pytest.mark.browser
def test_a_phone_switches_between_the_list_and_the_map(mobile_page, live_site, map_page):
    page = mobile_page
    page.goto(live_site + map_page.url + "?departement=42")
    page.wait_for_function("() => window.L")  # the page's main script has run
    cards, the_map = page.locator(".fv-search__list"), page.locator("[data-fv-map]")
    # The list first, right under the count; the map one tap away.
    assert pressed(page) == "En liste"
    assert cards.is_visible() and not the_map.is_visible()

    page.get_by_role("button", name="Sur la carte").click()
    assert pressed(page) == "Sur la carte"
    assert the_map.is_visible() and not cards.is_visible()
    # Hidden until now, the map takes its view and asks for its data once shown.
    page.wait_for_function(
        "() => document.querySelector('[data-fv-map]').dataset.count === '2'"
        " && !document.querySelector('[data-fv-map]').hasAttribute('aria-busy')"
    )
    assert page.locator(".leaflet-marker-icon[title]").count() == 2
    page.locator(".leaflet-control-zoom-out").click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')")
    settle(page)
    view = page.evaluate(VIEW)

    # Back to the list and to the map: same criteria, same view, nothing reloaded.
    page.evaluate("() => { window.fvSamePage = true; }")
    page.get_by_role("button", name="En liste").click()
    assert cards.is_visible() and not the_map.is_visible()
    page.get_by_role("button", name="Sur la carte").click()
    settle(page)
    assert page.evaluate(VIEW) == view
    assert page.evaluate("() => window.fvSamePage") is True
    assert "departement=42" in page.url

    # Back from a fiche opened from the map, the results show on the map again.
    page.locator(".leaflet-marker-icon[title]").first.click()
    preview = page.locator(".leaflet-popup-content .fv-card--preview a")
    preview.wait_for()
    with page.expect_navigation():
        preview.click()
    page.go_back()
    page.locator(".fv-switch").wait_for()
    assert pressed(page) == "Sur la carte"
    assert the_map.is_visible() and not cards.is_visible()
    settle(page)


@pytest.mark.browser
def test_a_map_shown_on_a_phone_asks_once_for_its_data(mobile_page, live_site, map_page):
    page = mobile_page
    asked = map_requests(page)
    page.goto(live_site + map_page.url + "?departement=42")
    page.wait_for_function("() => window.L")  # the page's main script has run
    settle(page)
    assert asked == []  # the list shows: the hidden map asks for nothing

    page.get_by_role("button", name="Sur la carte").click()
    page.wait_for_function(
        "() => document.querySelector('[data-fv-map]').dataset.count === '2'"
        " && !document.querySelector('[data-fv-map]').hasAttribute('aria-busy')"
    )
    settle(page)
    # Once, for the view fitted to the results, not first for the view before the fit.
    assert len(asked) == 1
    assert page.locator(".leaflet-marker-icon[title]").count() == 2


@pytest.mark.browser
def test_the_switch_is_usable_by_keyboard(mobile_page, live_site, map_page):
    page = mobile_page
    page.goto(live_site + map_page.url)
    page.get_by_role("button", name="En liste").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Sur la carte"
    page.keyboard.press("Enter")
    assert pressed(page) == "Sur la carte"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert pressed(page) == "En liste"
    assert page.get_by_role("group", name="Afficher les résultats").is_visible()


@pytest.mark.browser
def test_a_wide_screen_shows_both_without_a_switch(page, live_site, map_page):
    page.goto(live_site + map_page.url)
    page.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.count === '3'")
    assert page.locator("[data-fv-map]").is_visible()
    assert page.locator(".fv-search__list").is_visible()
    assert not page.locator(".fv-switch").is_visible()
