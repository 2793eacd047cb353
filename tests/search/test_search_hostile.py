"""Free text typed by anyone never breaks a search: every public search and the admin's.

The database backends turn the text into a full-text query (FTS5 on SQLite, tsquery on
PostgreSQL), whose syntax treats quotes, parentheses, colons and keywords as operators.
"""

import pytest
from django.test import Client

from profiles_module.models import Profile
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    "'",
    '""',
    '"""',
    'a"b',
    'a"b:c',
    '"jardin',
    "*",
    "jardin*",
    "^",
    "^jardin",
    "-",
    "-jardin",
    "+",
    "NEAR(",
    "NEAR(jardin partagé, 2)",
    "AND",
    "OR NOT",
    "jardin AND",
    "NOT jardin",
    "(",
    ")",
    "()",
    ":",
    "col:val",
    "title:jardin",
    "{title body}: jardin",
    "'; DROP TABLE profiles_module_profile; --",
    "\\",
    "\\'",
    "%",
    "%s",
    "_",
    "&|!<->",
    "«jardin»",
    "“partagé”",
    "‘l’habitat’",
    "\x00",
    "jardin\x00partagé",
    "🏡🌱",
    "👨‍👩‍👧‍👦 habitat",
    "\u202e\u200b",
    ('jardin "partagé" (NEAR: *) ' * 4)[:100],
    ('jardin "partagé" (NEAR: *) ' * 80)[:2000],
    "a " * 1000,
]


def refused_by_the_api(text):
    """The API's validation answers these with a 400 naming ``q``, before any search."""
    return "\x00" in text or len(text) > 100


MAP_BBOX = "zoom=5&bbox=-5,41,10,51"


@pytest.fixture
def places(map_page, partner):
    """The map page, the partner's embed of it (/integration/loire/…) and one fiche."""
    make_profile(
        public_name="Les Jardiniers",
        commune="42218",
        presentation="Nous voulons un jardin partagé et l'atelier du quartier.",
    )
    return map_page


def pages(page):
    return {"map page": page.url, "embed page": f"/integration/loire{page.url}"}


API_URLS = {
    "API": "/futurs-voisins/api/v1/profiles/",
    "GeoJSON": "/futurs-voisins/api/v1/profiles.geojson",
    "map endpoint": f"/futurs-voisins/api/v1/profiles/map/?{MAP_BBOX}",
    "embed API": "/integration/loire/futurs-voisins/api/v1/profiles/",
}


ADMIN_URLS = {
    "admin listing": "/admin/snippets/profiles_module/profile/",
    "admin listing results": "/admin/snippets/profiles_module/profile/results/",
    "profile chooser": "/admin/snippets/choose/profiles_module/profile/",
    "profile chooser results": "/admin/snippets/choose/profiles_module/profile/results/",
}


def statuses(client, urls, text):
    return {name: client.get(url, {"q": text}).status_code for name, url in urls.items()}


@pytest.mark.parametrize("text", HOSTILE, ids=lambda text: repr(text[:30]))
def test_map_pages_answer_any_text(client, places, text):
    failed = {
        name: status
        for name, status in statuses(client, pages(places), text).items()
        if status != 200
    }
    assert failed == {}


@pytest.mark.parametrize("text", HOSTILE, ids=lambda text: repr(text[:30]))
def test_api_answers_any_text(client, places, text):
    failed = {}
    for name, url in API_URLS.items():
        response = client.get(url, {"q": text})
        if refused_by_the_api(text):
            if response.status_code != 400 or "q" not in response.json()["errors"]:
                failed[name] = response.status_code
        elif response.status_code != 200:
            failed[name] = response.status_code
    assert failed == {}


@pytest.mark.parametrize("text", HOSTILE, ids=lambda text: repr(text[:30]))
def test_admin_search_answers_any_text(admin_client, places, text):
    answers = statuses(admin_client, ADMIN_URLS, text)
    assert {name: status for name, status in answers.items() if status != 200} == {}


def api_names(client, text, base="/futurs-voisins/api/v1/profiles/"):
    response = client.get(base, {"q": text})
    assert response.status_code == 200, response.content
    return sorted(item["public_name"] for item in response.json()["results"])


@pytest.mark.parametrize(
    "text",
    [
        '"jardin partagé"',
        "jardin partagé",
        "«jardin partagé»",
        "“Jardin”",
        "jardin-partagé",
        "l'atelier",
        "jardin (partagé)",
        "JARDIN: partagé",
    ],
)
def test_quoted_or_punctuated_words_still_find_the_fiche(client, places, text):
    make_profile(public_name="Les Citadins", presentation="Un appartement en ville.")
    assert api_names(client, text) == ["Les Jardiniers"]
    html = client.get(places.url, {"q": text}).content.decode()
    assert "Les Jardiniers" in html and "Les Citadins" not in html


def test_every_word_must_match(client, places):
    make_profile(public_name="Les Citadins", presentation="Un jardin en ville.")
    assert api_names(client, "jardin") == ["Les Citadins", "Les Jardiniers"]
    assert api_names(client, '"jardin" "ville"') == ["Les Citadins"]
    assert api_names(client, "ville, jardin !") == ["Les Citadins"]


@pytest.mark.parametrize("text", ['"', "()", "*", "🏡", "«»"])
def test_text_without_words_searches_nothing_in_particular(client, places, text):
    """Punctuation alone is no word to look for: the search is as if the box were empty."""
    make_profile(public_name="Les Citadins", presentation="Un appartement en ville.")
    assert api_names(client, text) == ["Les Citadins", "Les Jardiniers"]


@pytest.mark.parametrize("text", ['"Jardiniers"', "«Jardin»", "Jardin'", "jar"])
def test_admin_search_finds_quoted_names(admin_client, places, text):
    make_profile(public_name="Les Citadins", presentation="Un jardin.")
    for name in ("admin listing", "profile chooser results"):
        response = admin_client.get(ADMIN_URLS[name], {"q": text})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Les Jardiniers" in html and "Les Citadins" not in html, name


def test_anonymous_client_sees_no_admin(places):
    """The admin URLs above answer 200 because of the login, not by accident."""
    response = Client().get(ADMIN_URLS["admin listing"], {"q": '"'})
    assert response.status_code == 302
    assert Profile.objects.count() == 1
