"""What a household meets on the publication form before typing anything: no answer given
in its place, the browser's autofill, and who else sees its visit (the tile server)."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import publish_form_data

pytestmark = pytest.mark.django_db


def tag(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input {name} in the page"
    return match.group(0)


def test_the_household_composition_starts_unanswered_with_no_fake_choice(client, publish_page):
    html = client.get(publish_page.url).content.decode()
    radios = re.findall(r'<input[^>]*name="composition"[^>]*>', html)
    assert len(radios) >= 3
    assert not any("checked" in radio for radio in radios)
    assert not any('value=""' in radio for radio in radios)
    assert "Sélectionner une option" not in html
    # The first complete submission goes through.
    response = client.post(publish_page.url, publish_form_data())
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")


def test_browsers_may_fill_in_the_name_and_the_email(client, publish_page):
    html = client.get(publish_page.url).content.decode()
    assert 'autocomplete="email"' in tag(html, "email")
    assert 'autocomplete="nickname"' in tag(html, "public_name")
    link_form = client.get(reverse("profiles_module:new_link")).content.decode()
    assert 'autocomplete="email"' in tag(link_form, "email")


def test_the_data_box_names_the_tile_server_of_the_settings(client, publish_page):
    notice = re.search(
        r'<aside class="fv-notice".*?</aside>', client.get(publish_page.url).content.decode(), re.S
    ).group(0)
    assert "tile.openstreetmap.org" in notice
    assert "adresse IP" in notice
    with override_settings(
        GEO_WIDGET_LEAFLET_TILE_LAYER="https://tuiles.example.net/{z}/{x}/{y}.png"
    ):
        html = client.get(publish_page.url).content.decode()
    assert "tuiles.example.net" in html and "openstreetmap" not in html.split("</aside>")[0]
