"""Reference geography: the shipped data loads completely and idempotently, and the
commune autocomplete finds what people type."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles_module.geography.loader import read_rows
from profiles_module.models import Commune, Departement, Region

pytestmark = pytest.mark.django_db


def test_counts_match_the_data_files():
    assert Region.objects.count() == sum(1 for _ in read_rows("regions.csv")) == 18
    assert Departement.objects.count() == sum(1 for _ in read_rows("departements.csv")) == 101
    assert Commune.objects.count() == sum(1 for _ in read_rows("communes.csv.gz"))
    assert Commune.objects.count() > 34_000


def test_a_second_load_changes_nothing(capsys):
    before = list(Commune.objects.order_by("pk").values_list("pk", "name", "postal_codes"))
    call_command("load_geography")
    out = capsys.readouterr().out
    assert "communes: 0 created, 0 updated" in out
    assert list(Commune.objects.order_by("pk").values_list("pk", "name", "postal_codes")) == before


def test_a_changed_row_is_updated_not_duplicated(capsys):
    Commune.objects.filter(insee_code="42218").update(name="Saint-Étienne (ancien nom)")
    call_command("load_geography")
    assert "communes: 0 created, 1 updated" in capsys.readouterr().out
    assert Commune.objects.get(insee_code="42218").name == "Saint-Étienne"


def test_big_cities_carry_their_arrondissements_postal_codes():
    paris = Commune.objects.get(insee_code="75056")
    assert {"75001", "75011", "75020", "75116"} <= set(paris.postal_codes.split())
    assert paris.departement.region.name == "Île-de-France"


def autocomplete(client, query):
    response = client.get("/futurs-voisins/communes/", {"q": query})
    assert response.status_code == 200
    return [result["label"] for result in response.json()["results"]]


@pytest.mark.parametrize(
    "query", ["saint etienne", "St-Étienne", "SAINT-ÉTIENNE", "st etienne", "42000", "42100"]
)
def test_autocomplete_finds_saint_etienne_first(client, query):
    labels = autocomplete(client, query)
    assert labels[0].startswith("Saint-Étienne (42")


def test_autocomplete_shows_the_postal_code_that_was_typed(client):
    assert autocomplete(client, "42100")[0] == "Saint-Étienne (42100)"
    assert autocomplete(client, "75011") == ["Paris (75011)"]


def test_autocomplete_with_or_without_accents(client):
    assert autocomplete(client, "Èze")[0] == "Èze (06360)"
    assert autocomplete(client, "eze")[0] == "Èze (06360)"


def test_autocomplete_matches_a_later_word_and_puts_big_communes_first(client):
    labels = autocomplete(client, "malo")
    assert labels[0] == "Saint-Malo (35400)"


def test_autocomplete_result_fields(client):
    result = client.get("/futurs-voisins/communes/", {"q": "42000"}).json()["results"][0]
    assert result == {
        "id": Commune.objects.get(insee_code="42218").pk,
        "insee_code": "42218",
        "name": "Saint-Étienne",
        "postal_codes": ["42000", "42100", "42230"],
        "label": "Saint-Étienne (42000)",
    }


@pytest.mark.parametrize(
    "query", ["", " ", "4", "zzzzzz", "%", "_", "'; DROP TABLE x;--", "é" * 5000]
)
def test_autocomplete_odd_input_gives_an_empty_answer_not_an_error(client, query):
    response = client.get("/futurs-voisins/communes/", {"q": query})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_autocomplete_is_cacheable_and_get_only(client):
    response = client.get("/futurs-voisins/communes/", {"q": "lyon"})
    assert "max-age=86400" in response["Cache-Control"]
    assert client.post("/futurs-voisins/communes/", {"q": "lyon"}).status_code == 405


def test_autocomplete_limit_follows_the_setting(client, settings):
    settings.PROFILES_AUTOCOMPLETE_LIMIT = 3
    assert len(autocomplete(client, "saint")) == 3


def test_autocomplete_answers_the_same_letters_from_the_cache_until_the_geography_changes(
    client,
):
    first = autocomplete(client, "Saint-Éti")
    with CaptureQueriesContext(connection) as queries:
        assert autocomplete(client, "Saint-Éti") == first
    assert not [q for q in queries if "profiles_module_commune" in q["sql"]]
    # Renamed behind the signals, then put back by load_geography (bulk writes, no
    # signal either): the suggestions follow the reference data.
    Commune.objects.filter(insee_code="42218").update(name="Saint-Étienne-la-Noire")
    assert autocomplete(client, "Saint-Éti") == first  # the cached answer
    call_command("load_geography", verbosity=0)
    Commune.objects.filter(insee_code="42218").update(name="Saint-Étienne-la-Noire")
    assert autocomplete(client, "Saint-Étie")[0].startswith("Saint-Étienne-la-Noire")
    call_command("load_geography", verbosity=0)
    assert autocomplete(client, "Saint-Étie") == first
