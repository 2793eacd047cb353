"""The preview a map's marker opens: a published fiche's result card, nothing else."""

import pytest
from django.urls import reverse

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def card_url(profile):
    return reverse("profiles_module:api_profile_card", args=[profile.uid])


def test_a_published_fiche_has_its_card(client):
    profile = make_profile(public_name="Camille", tenure="cooperative", email="c@example.org")
    response = client.get(card_url(profile), {"back": "/trouver/?tenure=cooperative"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<article class="fv-card"' in html and ">Camille</a>" in html
    assert "coopérative d&#x27;habitants" in html
    assert "back=/trouver/%3Ftenure%3Dcooperative" in html
    assert "c@example.org" not in html


def test_no_card_for_a_fiche_that_is_not_public(client):
    draft = make_profile(live=False)
    assert client.get(card_url(draft)).status_code == 404


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_back_link_stays_on_the_site(client, back):
    profile = make_profile()
    html = client.get(card_url(profile), {"back": back}).content.decode()
    assert "evil.example" not in html and "javascript" not in html
