"""The small map of a fiche shows its sector, whatever the kind of sector."""

import pytest

from profiles_module.models import Departement, Region, Sector
from tests.factories import make_profile

from . import is_local, settle


def fiche(kind):
    """A published profile whose only sector is of `kind`."""
    if kind == "commune":
        return make_profile(public_name="Autour de Saint-Étienne", commune="42218")
    profile = make_profile(public_name=f"Un {kind}", save=False)
    if kind == "departement":
        sector = Sector(
            kind=Sector.Kind.DEPARTEMENT, departement=Departement.objects.get(code="42")
        )
    else:
        sector = Sector(kind=Sector.Kind.REGION, region=Region.objects.get(code="84"))
    profile.sectors = [sector]
    profile.full_clean()
    profile.save()
    return profile


def open_fiche(page, url):
    """Open a fiche; return its script errors and console errors, except the refused
    requests to the tile server (tests never leave the machine)."""
    errors = []

    def on_console(message):
        if message.type == "error" and is_local(message.location.get("url") or url):
            errors.append(message.text)

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", on_console)
    page.goto(url)
    page.locator("[data-fv-sector-map].leaflet-container").wait_for()
    settle(page)
    return errors


def inside_map(page, selector):
    """The first `selector` of the sector map is drawn, with a size, inside the map."""
    shape = page.locator(f"[data-fv-sector-map] {selector}").first
    shape.wait_for()
    box = shape.bounding_box()
    frame = page.locator("[data-fv-sector-map]").bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert frame["x"] <= centre_x <= frame["x"] + frame["width"]
    assert frame["y"] <= centre_y <= frame["y"] + frame["height"]
    # A marker is an image: it loaded (a wrong address would leave a broken image there).
    assert shape.evaluate("(shape) => shape.tagName !== 'IMG' || shape.naturalWidth > 0")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("kind", "shape"),
    [
        ("commune", ".leaflet-overlay-pane svg path"),
        ("departement", ".leaflet-marker-icon"),
        ("region", ".leaflet-marker-icon"),
    ],
)
def test_fiche_map_shows_the_sector_without_errors(page, live_site, kind, shape):
    url = live_site + fiche(kind).get_absolute_url()
    errors = open_fiche(page, url)
    assert errors == []
    inside_map(page, shape)


@pytest.mark.browser
def test_the_keyboard_passes_over_the_fiche_maps_marker(page, live_site):
    # The marker does nothing when pressed: the keyboard goes from the map's zoom buttons
    # on, never through a button without an action. Screen readers still read its name.
    errors = open_fiche(page, live_site + fiche("departement").get_absolute_url())
    assert errors == []
    marker = page.locator("[data-fv-sector-map] .leaflet-marker-icon")
    assert marker.get_attribute("alt") == "Loire (42)"
    assert marker.get_attribute("role") is None
    assert marker.evaluate("(marker) => marker.tabIndex") == -1


@pytest.mark.browser
def test_fiche_map_shows_the_circle_on_a_phone(mobile_page, live_site):
    errors = open_fiche(mobile_page, live_site + fiche("commune").get_absolute_url())
    assert errors == []
    inside_map(mobile_page, ".leaflet-overlay-pane svg path")
