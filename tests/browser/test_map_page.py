"""The map page in a browser: filter, compare the list with the markers, open a profile."""

import re

import pytest
from playwright.sync_api import expect

from home.models import HomePage
from profiles_module.models import MapPage
from tests.browser import listed_names, settle
from tests.factories import make_map_page, make_profile


@pytest.mark.browser
def test_filter_then_list_and_markers_agree_then_open_a_profile(page, live_site):
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    # Three in the Loire in a cooperative, far enough apart to be separate markers.
    make_profile(public_name="Stéphane", commune="42218", tenure="cooperative")
    make_profile(public_name="Romane", commune="42187", tenure="cooperative")
    make_profile(public_name="Montse", commune="42147", tenure="cooperative")
    make_profile(public_name="Locataire", commune="42218", tenure="rental")
    make_profile(public_name="Lyonnais", commune="69123", tenure="cooperative")

    page.goto(live_site + map_page.url)
    page.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.count === '5'")
    page.select_option("#id_departement", "42")
    page.get_by_label("coopérative d'habitants").check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_function("() => document.activeElement.id === 'fv-results-count'")

    assert "departement=42" in page.url and "tenure=cooperative" in page.url
    assert page.locator(".fv-count").inner_text().strip() == (
        "3 foyers correspondent à votre recherche"
    )
    listed = listed_names(page)
    assert listed == ["Montse", "Romane", "Stéphane"]

    # The map fits the results, then shows one marker per listed profile.
    page.wait_for_function(
        "() => document.querySelector('[data-fv-map]').dataset.mode === 'points'"
    )
    markers = page.locator(".leaflet-marker-icon[title]")
    markers.first.wait_for()
    assert sorted(markers.evaluate_all("els => els.map(e => e.title)")) == listed
    settle(page)

    page.locator(".leaflet-marker-icon[title='Romane']").click()
    # Opening the popup pans the map, which fetches the visible profiles again: the
    # popup must survive that refresh.
    popup_link = page.locator(".leaflet-popup-content .fv-card--preview a")
    popup_link.wait_for()
    settle(page)
    popup_link.click()
    # The preview card links to the fiche with the way back to this search (the map's
    # moves change the address in place: wait for the fiche's own).
    page.wait_for_url(re.compile(r"/futurs-voisins/fiches/[0-9a-f-]+/romane/\?back=/trouver/"))
    assert page.locator("h1").inner_text() == "Romane"

    # From a card, the profile page leads back to the same search.
    page.go_back()
    with page.expect_navigation():
        page.locator(".fv-card__name a", has_text="Stéphane").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Retour à la recherche").click()
    assert "departement=42" in page.url and "tenure=cooperative" in page.url
    settle(page)


@pytest.mark.browser
def test_markers_show_the_kind_of_profile_by_shape_and_name(page, live_site):
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    make_profile(public_name="Stéphane", commune="42218", profile_kind="household")
    make_profile(public_name="Les Castors", commune="42187", profile_kind="group")
    make_profile(public_name="La Fabrique", commune="42147", profile_kind="resident")

    page.goto(live_site + map_page.url + "?departement=42")
    page.wait_for_function(
        "() => document.querySelector('[data-fv-map]').dataset.mode === 'points'"
    )
    page.locator(".leaflet-marker-icon[title]").first.wait_for()
    markers = page.locator(".leaflet-marker-icon[title]").evaluate_all(
        """els => els.map(e => [e.title, e.querySelector('.fv-marker').className,
                               e.getAttribute('aria-label')])"""
    )
    assert sorted(markers) == [
        [
            "La Fabrique",
            "fv-marker fv-marker--resident",
            "La Fabrique (Habitant·e d'un habitat participatif)",
        ],
        [
            "Les Castors",
            "fv-marker fv-marker--group",
            "Les Castors (Groupe en constitution qui cherche des membres)",
        ],
        [
            "Stéphane",
            "fv-marker fv-marker--household",
            "Stéphane (Futur·e habitant·e (personne ou foyer))",
        ],
    ]
    # The legend gives each kind its shape, and a shape is drawn differently per kind.
    legend = page.locator(".fv-legend li").all_inner_texts()
    assert legend[:3] == [
        "Futur·e habitant·e (personne ou foyer)",
        "Groupe en constitution qui cherche des membres",
        "Habitant·e d'un habitat participatif",
    ]
    shapes = page.locator(".fv-legend .fv-marker").evaluate_all(
        """els => els.map(e => { const s = getComputedStyle(e);
                                 return [s.borderRadius, s.transform, s.clipPath].join('|'); })"""
    )
    assert len(set(shapes)) == len(shapes)
    settle(page)


@pytest.mark.browser
def test_a_group_of_markers_is_a_named_button_that_zooms(page, live_site):
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    for number in range(3):
        make_profile(public_name=f"Foyer {number}", email=f"f{number}@example.org")

    page.goto(live_site + map_page.url + "?view=45.43,4.39,9")
    page.wait_for_function(
        "() => document.querySelector('[data-fv-map]').dataset.mode === 'points'"
    )
    group = page.get_by_role("button", name="3 fiches — zoomer")
    group.wait_for()
    before = page.locator("[data-fv-map]").get_attribute("data-bounds")
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "b => document.querySelector('[data-fv-map]').dataset.bounds !== b", arg=before
    )
    settle(page)


@pytest.mark.browser
def test_a_marker_opens_a_preview_of_the_fiche_by_keyboard(page, live_site):
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    make_profile(public_name="Stéphane", commune="42218", tenure="cooperative")
    make_profile(public_name="Romane", commune="42187", email="r@example.org")

    page.goto(live_site + map_page.url + "?departement=42")
    marker = page.locator(".leaflet-marker-icon[title='Stéphane']")
    marker.wait_for()
    settle(page)
    marker.focus()
    page.keyboard.press("Enter")
    preview = page.locator(".leaflet-popup-content .fv-card--preview")
    preview.wait_for()
    assert "coopérative d'habitants" in preview.inner_text().lower()
    assert "Saint-Étienne" in preview.inner_text()
    page.wait_for_function("() => document.activeElement.closest('.fv-card--preview') !== null")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert "/stephane/?back=" in href and "departement%3D42" in href
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert page.evaluate("() => document.activeElement.getAttribute('title')") == "Stéphane"
    settle(page)


@pytest.mark.browser
def test_the_searched_circle_is_drawn_around_the_commune(page, live_site):
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    make_profile(public_name="Stéphane", commune="42218")

    page.goto(live_site + map_page.url)
    page.locator("[data-fv-map]").wait_for()
    assert page.locator("path.fv-radius").count() == 0
    page.goto(live_site + map_page.url + "?commune=42218&km=50")
    circle = page.locator("path.fv-radius")
    circle.wait_for(state="attached")
    wide = circle.bounding_box()["width"]
    # A smaller radius, chosen live: a smaller circle, around the same commune.
    page.select_option("#id_km", "10")
    page.wait_for_function(
        "w => document.querySelector('path.fv-radius').getBoundingClientRect().width < w / 2",
        arg=wide,
    )
    settle(page)


@pytest.mark.browser
def test_the_cards_below_the_first_screen_are_there_for_screen_readers_and_the_keyboard(
    page, live_site
):
    # They are laid out only when scrolled to (content-visibility), yet each is already
    # a named link, and one reached by the keyboard is shown where the page scrolls.
    map_page = make_map_page(slug="trouver")
    for number in range(20):
        make_profile(public_name=f"Foyer {number:02}", email=f"foyer{number}@example.org")
    page.goto(live_site + map_page.url)
    links = page.locator(".fv-card__name a")
    assert links.count() == 20
    last = page.locator(".fv-card").last
    name = last.locator(".fv-card__name a").text_content().strip()
    assert page.get_by_role("link", name=name).count() == 1
    assert last.bounding_box()["y"] > page.viewport_size["height"]
    page.get_by_role("link", name=name).focus()
    box = last.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] and box["height"] > 100
    expect(last.locator(".fv-card__kind")).to_be_visible()
    settle(page)
