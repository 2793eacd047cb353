"""The public page of a profile."""

import pytest

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def test_shows_public_fields_and_hides_private_ones(client):
    profile = make_profile(
        public_name="Dominique",
        tenure="cooperative",
        presentation="Nous cherchons un lieu partagé.",
        financing_band="gt300k",
        financing_public=False,
        email="dominique@example.org",
    )
    response = client.get(profile.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dominique" in html and "Nous cherchons un lieu partagé." in html
    assert "coopérative d&#x27;habitants" in html
    assert "Saint-Étienne, dans un rayon de 10 km" in html
    assert "Confirmée le" in html
    assert "dominique@example.org" not in html
    # The contribution band is hidden: neither its heading nor its label is shown.
    assert "Apport personnel" not in html and "plus de 300 k€" not in html
    assert "data-fv-sector-map" in html


def test_unpublished_is_404(client):
    profile = make_profile(live=False)
    assert client.get(profile.get_absolute_url()).status_code == 404


def test_wrong_slug_redirects_to_the_canonical_url(client):
    profile = make_profile(public_name="Zoé Martin")
    assert profile.get_absolute_url().endswith(f"/fiches/{profile.uid}/zoe-martin/")
    for wrong in (
        f"/futurs-voisins/fiches/{profile.uid}/",
        f"/futurs-voisins/fiches/{profile.uid}/x/",
    ):
        response = client.get(wrong + "?back=/trouver/")
        assert response.status_code == 302
        assert response["Location"] == profile.get_absolute_url() + "?back=%2Ftrouver%2F"


@pytest.mark.parametrize(
    ("back", "shown"),
    [
        ("/trouver/?departement=42&tenure=rental", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
    ],
)
def test_back_link_stays_on_the_site(client, back, shown):
    profile = make_profile()
    html = client.get(profile.get_absolute_url(), {"back": back}).content.decode()
    assert ("Retour à la recherche" in html) is shown
    assert "evil.example" not in html


def test_pages_extend_the_base_template_the_host_chooses(client, settings):
    profile = make_profile(public_name="Nour")
    settings.PROFILES_BASE_TEMPLATE = "tests/other_base.html"
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "En-tête d'un autre site" in html
    assert "<title>Nour · Autre site</title>" in html.replace("\n", "")
