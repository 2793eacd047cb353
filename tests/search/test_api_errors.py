"""Errors of the public API: JSON for programs, never an HTML page, never cached."""

import logging

import pytest
from django.test import Client

from profiles_module.search import api

pytestmark = pytest.mark.django_db

API = "/futurs-voisins/api/v1/profiles/"
GEOJSON = "/futurs-voisins/api/v1/profiles.geojson"
MAP = "/futurs-voisins/api/v1/profiles/map/"


def assert_not_cached(response):
    cache_control = response["Cache-Control"]
    assert "public" not in cache_control and "max-age=60" not in cache_control
    assert "no-store" in cache_control


@pytest.mark.parametrize("url", [API, GEOJSON, MAP])
def test_an_unexpected_error_answers_json_500_and_is_logged(url, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    # A collaborator of every API view fails; the view itself is what is tested.
    monkeypatch.setattr(api, "ProfileFilterSet", broken)
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "Internal Server Error"}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_not_cached(response)
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is RuntimeError


def test_a_bad_request_is_json_and_not_cached(client):
    response = client.get(API, {"page": "999"})
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
    assert_not_cached(response)


def test_a_missing_page_id_is_json_and_not_cached(client):
    response = client.get(MAP, {"page_id": "999999"})
    assert response.status_code == 400
    assert "page_id" in response.json()["errors"]
    assert_not_cached(response)


def test_an_answer_stays_publicly_cacheable(client):
    response = client.get(API)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("url", [API, GEOJSON, MAP])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_another_method_than_get_answers_json_405_readable_from_other_sites(url, method, client):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": "Method Not Allowed"}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_not_cached(response)


@pytest.mark.parametrize("url", [API, GEOJSON, MAP])
def test_head_answers_like_get_without_a_body(url, client):
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == client.get(url)["ETag"]
