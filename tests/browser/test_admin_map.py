"""The Leaflet map of the profile edit view: dragging the marker moves the stored point."""

import json
import math
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from profiles_module.models import Profile
from tests.browser import settle
from tests.factories import make_profile

# Metropolitan France, generously.
FRANCE_LAT = (41.0, 51.5)
FRANCE_LNG = (-5.5, 10.0)

# True once the map has its real size and the marker's tip sits in its middle.
MARKER_CENTRED = """panelId => {
    const map = document.querySelector(`#${panelId} .leaflet-container`);
    const icon = map && map.querySelector(".leaflet-marker-icon");
    if (!icon || map.clientWidth < 100 || map.clientHeight < 100) return false;
    const m = map.getBoundingClientRect(), i = icon.getBoundingClientRect();
    const tipX = i.left + i.width / 2, tipY = i.bottom;
    return Math.abs(tipX - (m.left + m.width / 2)) < 3
        && Math.abs(tipY - (m.top + m.height / 2)) < 3;
}"""

DRAG_X, DRAG_Y = 120, 80  # pixels: right and down, i.e. east and south


def moved_by_pixels(lat, lng, dx, dy, zoom):
    """Where a point lands once moved by (dx, dy) screen pixels on a Web Mercator map."""
    world = 256 * 2**zoom
    x = (lng + 180) / 360 * world + dx
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * world + dy
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world)))), x / world * 360 - 180


@pytest.mark.browser
def test_dragging_the_marker_moves_the_stored_point(admin_page, live_site, blocked_requests):
    page = admin_page
    profile = make_profile(public_name="Dominique", commune="69123")  # Lyon
    before = Profile.objects.get(pk=profile.pk)
    sectors_before = list(before.sectors.values_list("kind", "commune_id", "radius_km"))
    edit_url = reverse("wagtailsnippets_profiles_module_profile:edit", args=[profile.pk])

    page.goto(live_site + edit_url)
    # Leaflet comes from this app's static files, not from a CDN.
    assert page.evaluate("typeof window.L") == "object"
    leaflet = page.locator('script[src*="/static/profiles_module/vendor/leaflet-"]')
    assert leaflet.count() == 1

    # Open the tab holding the map: found through its panel, whatever the admin language.
    panel_id = page.locator('[role="tabpanel"]:has(#id_location)').get_attribute("id")
    page.locator(f'a[role="tab"][href="#{panel_id}"]').click()
    marker = page.locator(f"#{panel_id} .leaflet-marker-icon")
    marker.wait_for(state="visible")
    # The map was drawn in a hidden tab: wagtailgeowidget notices it became visible
    # (it checks every second), resizes it and centres it on the marker. Drag only then.
    page.wait_for_function(MARKER_CENTRED, arg=panel_id, polling=100)

    options = page.locator("#id_location").get_attribute("data-leaflet-field-options-value")
    zoom = json.loads(options)["zoom"]

    box = marker.bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + DRAG_X / 2, start_y + DRAG_Y / 2, steps=5)
    page.mouse.move(start_x + DRAG_X, start_y + DRAG_Y, steps=5)
    page.mouse.up()
    page.wait_for_function(
        "before => document.getElementById('id_location').value !== before", arg=before.location
    )

    # The profile is live: "Save draft" would only store a revision, the object keeps
    # its published point. Publishing (in the dropdown of the save button) writes the
    # new point onto the Profile row, which is what the public map reads.
    page.locator("footer .w-dropdown__toggle").click()
    with page.expect_navigation():
        page.locator('footer button[name="action-publish"]').click()
    assert urlsplit(page.url).path != edit_url  # back on the listing: no form error
    assert page.locator(".messages .success").count() == 1
    settle(page)

    after = Profile.objects.get(pk=profile.pk)
    assert after.location != before.location
    assert after.location.startswith("SRID=4326;POINT(")
    lng, lat = (float(v) for v in after.location.split("POINT(")[1].rstrip(")").split())
    assert (after.longitude, after.latitude) == pytest.approx((lng, lat))
    # Dragged right and down: east and south of where it was, by the dragged distance.
    assert after.longitude > before.longitude
    assert after.latitude < before.latitude
    expected = moved_by_pixels(before.latitude, before.longitude, DRAG_X, DRAG_Y, zoom)
    assert (after.latitude, after.longitude) == pytest.approx(expected, abs=0.05)
    assert FRANCE_LAT[0] < after.latitude < FRANCE_LAT[1]
    assert FRANCE_LNG[0] < after.longitude < FRANCE_LNG[1]
    # Nothing else changed.
    assert after.public_name == "Dominique"
    assert after.live
    assert after.email == before.email
    assert after.located_from == before.located_from
    assert list(after.sectors.values_list("kind", "commune_id", "radius_km")) == sectors_before
    assert after.revisions.count() == 1  # the published revision

    # Only OpenStreetMap tiles were tried, and aborted: nothing else left the machine.
    assert all(urlsplit(url).hostname.endswith("openstreetmap.org") for url in blocked_requests)
