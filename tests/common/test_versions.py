"""The shared cache's versions: read once per request, each request seeing the changes
every process made before it started, and its own."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from profiles_module.common.versions import (
    CHOICE_LISTS,
    SEARCHED_FICHES,
    VersionsReadOncePerRequest,
)
from tests.factories import make_map_page

pytestmark = pytest.mark.django_db

VERSION_KEYS = ("profiles_module:search:version", "profiles_module:pages:version")


def test_a_search_reads_each_version_from_the_shared_cache_once(client, home, monkeypatch):
    page = make_map_page(slug="carte")
    client.get(page.url + "?kind=group")  # the route, lists and counts now cached
    read = []
    real_get = cache.get

    def recorded_get(key, *args, **kwargs):
        read.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", recorded_get)
    assert client.get(page.url + "?kind=household&tenure=rental").status_code == 200
    versions = [key for key in read if key.endswith(":version")]
    assert set(VERSION_KEYS) <= set(versions)  # the search's and the page tree's
    assert len(versions) == len(set(versions))


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
