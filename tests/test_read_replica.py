"""With a read replica configured, the public search and the API read from it, and
everything else (the fiche page, the forms, the admin, every write) from the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.factories import make_profile

# Committed rows (two connections must see the same ones), from a freshly migrated site.
pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


def fiche_reads(client, url):
    """GET url: (queries of the fiches on the primary, on the replica, the response)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    assert response.status_code == 200

    def of_fiches(queries):
        return len([query for query in queries if "profiles_module_profile" in query["sql"]])

    return of_fiches(primary), of_fiches(replica), response


@pytest.fixture
def replica(settings, geography):
    settings.PROFILES_READ_REPLICA = "replica"


def test_the_search_and_the_api_read_from_the_replica(client, replica, map_page):
    make_profile(public_name="Camille")
    primary, from_replica, response = fiche_reads(client, map_page.url)
    assert "Camille" in response.content.decode()
    # Wagtail finds the page on the primary; the search reads the fiches on the replica.
    assert from_replica >= 1 and primary == 0
    primary, from_replica, response = fiche_reads(client, "/futurs-voisins/api/v1/profiles/")
    assert response.json()["count"] == 1
    assert from_replica >= 1 and primary == 0


def test_a_fiche_page_and_the_admin_stay_on_the_primary(client, replica, superuser):
    fiche = make_profile(public_name="Camille")
    primary, from_replica, _response = fiche_reads(client, fiche.get_absolute_url())
    assert primary >= 1 and from_replica == 0
    client.force_login(superuser)
    primary, from_replica, _response = fiche_reads(
        client, "/admin/snippets/profiles_module/profile/"
    )
    assert primary >= 1 and from_replica == 0


def test_without_a_replica_everything_reads_the_primary(client, settings, geography, map_page):
    settings.PROFILES_READ_REPLICA = None
    make_profile(public_name="Camille")
    primary, from_replica, _response = fiche_reads(client, map_page.url)
    assert primary >= 1 and from_replica == 0
