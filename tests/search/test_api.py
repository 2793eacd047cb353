"""The public API: JSON and GeoJSON formats, pagination, caching, the map endpoint."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles_module.models import ProfileOption
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

API = "/futurs-voisins/api/v1/profiles/"
GEOJSON = "/futurs-voisins/api/v1/profiles.geojson"
MAP = "/futurs-voisins/api/v1/profiles/map/"


def test_json_lists_public_fields_only(client):
    profile = make_profile(
        public_name="Alix",
        tenure="cooperative",
        financing_band="75k_150k",
        financing_public=False,
        social_housing_eligible=True,
        presentation="Bonjour.",
    )
    profile.values.set([ProfileOption.objects.get(category="value", slug="ecology")])
    profile.save()
    make_profile(public_name="Brouillon", live=False)
    response = client.get(API)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] == 1 and data["next"] is None
    item = data["results"][0]
    assert item["uid"] == str(profile.uid)
    assert item["url"].endswith(f"/futurs-voisins/fiches/{profile.uid}/alix/")
    assert item["tenure"] == {"code": "cooperative", "label": "coopérative d'habitants"}
    assert item["values"] == ["ecology"]
    assert item["sectors"][0]["commune"] == "42218"
    # Hidden by the owner: not shown, not even as "null means no".
    assert item["financing_band"] is None and item["social_housing_eligible"] is None
    for private in ("email", "news_consent", "publication_consent_at", "location", "id"):
        assert private not in item


def test_pagination(client):
    for index in range(5):
        make_profile(public_name=f"P{index}")
    first = client.get(API, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert "page=2" in first["next"]
    last = client.get(API, {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None and last["previous"]


def test_geojson(client):
    make_profile(public_name="Alix", commune="69123")
    response = client.get(GEOJSON, {"departement": "69"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["count"] == 1
    feature = data["features"][0]
    lng, lat = feature["geometry"]["coordinates"]
    assert abs(lat - 45.76) < 0.05 and abs(lng - 4.83) < 0.05  # Lyon, spread a little
    assert feature["properties"]["public_name"] == "Alix"


def test_etag_and_304(client):
    make_profile()
    for url in (API, GEOJSON, MAP + "?zoom=6"):
        etag = client.get(url)["ETag"]
        assert etag
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and not again.content
    etag = client.get(API)["ETag"]
    make_profile(public_name="Nouveau")
    assert client.get(API, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_map_gives_cells_at_national_zoom_and_points_when_zoomed_in(client):
    for commune in ["42218", "42218", "69123", "35238"]:
        make_profile(commune=commune)
    national = client.get(MAP, {"zoom": 6, "bbox": "-5.5,41,10,51.5"}).json()
    assert national["mode"] == "cells"
    assert sum(f["properties"]["count"] for f in national["features"]) == 4
    assert all(set(f["properties"]) == {"count"} for f in national["features"])
    close = client.get(MAP, {"zoom": 10, "bbox": "4.0,45.2,4.6,45.6"}).json()
    assert close["mode"] == "points" and len(close["features"]) == 2
    first, second = (f["geometry"]["coordinates"] for f in close["features"])
    assert first != second  # same commune, yet two distinct markers
    assert close["features"][0]["properties"]["url"].startswith("/futurs-voisins/fiches/")


def test_national_views_of_one_search_share_one_count(client):
    # Saint-Étienne twice and Lyon in the east (one cell at this zoom), Rennes in the west.
    for commune in ["42218", "42218", "69123", "35238"]:
        make_profile(commune=commune)
    west = client.get(MAP, {"zoom": 6, "bbox": "-5.5,41,2,51.5"}).json()
    with CaptureQueriesContext(connection) as queries:
        east = client.get(MAP, {"zoom": 6, "bbox": "2,41,10,51.5"}).json()
        both = client.get(MAP, {"zoom": 6, "bbox": "-10,40,15,52"}).json()
    # Each view gets the cells it holds...
    assert [f["properties"]["count"] for f in west["features"]] == [1]
    assert [f["properties"]["count"] for f in east["features"]] == [3]
    assert sum(f["properties"]["count"] for f in both["features"]) == 4
    # ...cut from the cells of the whole search, counted once for all of them.
    assert not any("GROUP BY" in query["sql"] for query in queries)
    # Another search is counted on its own.
    cooperative = client.get(MAP, {"zoom": 6, "tenure": "cooperative"}).json()
    assert cooperative["features"] == []


def test_map_falls_back_to_cells_above_the_points_limit(client, settings):
    settings.PROFILES_MAP_POINTS_LIMIT = 2
    for _ in range(3):
        make_profile()
    data = client.get(MAP, {"zoom": 12, "bbox": "4.0,45.2,4.6,45.6"}).json()
    assert data["mode"] == "cells"


def test_national_payload_is_small(client):
    for commune in ["42218", "69123", "35238", "75056", "13055", "31555"]:
        make_profile(commune=commune)
    body = client.get(MAP, {"zoom": 5, "bbox": "-10,40,15,52"}).content
    assert len(gzip.compress(body)) < 2_000
    assert json.loads(body)["mode"] == "cells"
