"""The shared cache's versions: read once per request, each request seeing the changes
every process made before it started, and its own."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from profiles_module.common import versions
from profiles_module.common.versions import (
    CHOICE_LISTS,
    SEARCHED_FICHES,
    KeptInProcess,
    VersionsReadOncePerRequest,
)
from profiles_module.models import Departement
from tests.factories import make_map_page

pytestmark = pytest.mark.django_db

VERSION_KEYS = ("profiles_module:search:version", "profiles_module:pages:version")


def test_a_search_reads_every_version_from_the_shared_cache_in_one_round_trip(
    client, home, monkeypatch
):
    page = make_map_page(slug="carte")
    client.get(page.url + "?kind=group")  # the route, lists and counts now cached
    round_trips = []
    real_get = cache.get

    def recorded_get(key, *args, **kwargs):
        round_trips.append([key])
        return real_get(key, *args, **kwargs)

    def recorded_get_many(keys, *args, **kwargs):
        round_trips.append(list(keys))
        missing = object()
        found = {key: real_get(key, missing) for key in keys}
        return {key: value for key, value in found.items() if value is not missing}

    monkeypatch.setattr(cache, "get", recorded_get)
    monkeypatch.setattr(cache, "get_many", recorded_get_many)
    assert client.get(page.url + "?kind=household&tenure=rental").status_code == 200
    with_versions = [keys for keys in round_trips if any(k.endswith(":version") for k in keys)]
    assert len(with_versions) == 1
    assert set(VERSION_KEYS) <= set(with_versions[0])  # the search's and the page tree's


def test_a_request_keeps_the_versions_it_read_but_sees_its_own_change(rf):
    seen = {}

    def view(request):
        first = SEARCHED_FICHES.current()
        cache.set(SEARCHED_FICHES.key, "replaced by another process", None)
        seen["another process's change"] = SEARCHED_FICHES.current() != first
        CHOICE_LISTS.current()
        CHOICE_LISTS.replace()  # a change this request makes
        seen["its own change"] = CHOICE_LISTS.current() == cache.get(CHOICE_LISTS.key)
        return HttpResponse()

    VersionsReadOncePerRequest(view)(rf.get("/"))
    assert seen == {"another process's change": False, "its own change": True}
    # The next request, and anything outside a request, reads the shared cache again.
    assert SEARCHED_FICHES.current() == "replaced by another process"
    VersionsReadOncePerRequest(lambda request: HttpResponse())(rf.get("/"))
    cache.set(SEARCHED_FICHES.key, "and again", None)
    assert SEARCHED_FICHES.current() == "and again"


def test_what_a_process_keeps_in_memory_follows_another_process_change(client, home):
    """The lists of choices are kept in each process's memory too; a département renamed
    by another process (which replaces the version in the shared cache) shows at once."""
    page = make_map_page(slug="carte")
    assert "Loire (42)" in client.get(page.url + "?kind=group").content.decode()
    Departement.objects.filter(code="42").update(name="Loire-Forez")  # in another process…
    cache.set(CHOICE_LISTS.key, "replaced by another process", None)  # …which says so
    assert "Loire-Forez (42)" in client.get(page.url + "?kind=household").content.decode()


def test_kept_in_process_until_its_time_is_up_and_the_least_recently_used_dropped(
    monkeypatch,
):
    now = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: now[0])
    kept = KeptInProcess(2)
    reads = []

    def read(value):
        return lambda: reads.append(value) or value

    assert kept.get("a", read("A"), 60) == "A"
    assert kept.get("a", read("A again"), 60) == "A"  # not read again
    now[0] += 61
    assert kept.get("a", read("A later"), 60) == "A later"  # its time was up
    kept.get("b", read("B"), 60)
    kept.get("a", read("A, used"), 60)
    kept.get("c", read("C"), 60)  # three entries for two places: "b" is dropped
    assert list(kept.entries) == ["a", "c"]
    assert reads == ["A", "A later", "B", "C"]
