"""What the search keeps in the shared cache (facet counts, the map's cells, the number
of results) follows the fiches at once: a visitor never sees a fiche in the list but not in the
counts, nor a withdrawn fiche still counted."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from profiles_module.common.versions import IN_PROCESS, SEARCHED_FICHES
from profiles_module.models import Profile, ProfileOption
from profiles_module.publication.lifecycle import mark_still_looking
from profiles_module.search import facets
from profiles_module.search.facets import facet_counts
from profiles_module.search.filters import ProfileFilterSet
from profiles_module.search.query import SEARCH_CACHE_SECONDS
from tests.factories import make_profile
from tests.helpers import REDIS_URL, redis_key_prefix

pytestmark = pytest.mark.django_db

MAP = "/futurs-voisins/api/v1/profiles/map/"


def on_the_map(client):
    cells = client.get(MAP, {"zoom": 6}).json()["features"]
    return sum(cell["properties"]["count"] for cell in cells)


def counts():
    return facet_counts(ProfileFilterSet({}))


def test_the_map_counts_a_new_or_withdrawn_fiche_at_once(client):
    make_profile(commune="42218")
    assert on_the_map(client) == 1
    rennes = make_profile(commune="35238", email="rennes@example.org")
    assert on_the_map(client) == 2
    rennes.unpublish()
    assert on_the_map(client) == 1
    rennes.delete()
    assert on_the_map(client) == 1


def test_the_choices_count_a_changed_fiche_at_once():
    fiche = make_profile(tenure="rental")
    assert counts()["tenure"]["rental"] == 1
    fiche.tenure = "cooperative"
    fiche.save()
    assert counts()["tenure"] == {**counts()["tenure"], "rental": 0, "cooperative": 1}
    ecology = ProfileOption.objects.get(category="value", slug="ecology")
    assert counts()["value"].get("ecology", 0) == 0
    fiche.values.add(ecology)
    fiche.save()  # a fiche's options are written with it
    assert counts()["value"]["ecology"] == 1
    fiche.sectors.all().delete()
    assert counts()["departement"].get("42", 0) == 0


API = "/futurs-voisins/api/v1/profiles/"


def test_the_number_of_results_is_counted_once_per_search_and_follows_the_fiches(client, map_page):
    make_profile(tenure="rental")
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 1
    # The same search again, another page size, and its map page: not counted again.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {"tenure": "rental", "page_size": 5}).json()["count"] == 1
        page = client.get("/trouver/", {"tenure": "rental"})
    assert page.context["result_count"] == 1
    assert not [q for q in queries if 'SELECT COUNT(*) AS "__count"' in q["sql"]]
    make_profile(tenure="rental", email="second@example.org")
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 2
    assert client.get("/trouver/", {"tenure": "rental"}).context["result_count"] == 2
    assert client.get(API, {"tenure": "cooperative"}).json()["count"] == 0


def test_a_fiche_confirmed_again_counts_as_recently_confirmed_at_once():
    fiche = make_profile()
    long_ago = timezone.now() - timedelta(days=400)
    Profile.objects.filter(pk=fiche.pk).update(created_at=long_ago, last_confirmed_at=long_ago)
    assert counts()["confirmed"]["6"] == 0
    mark_still_looking(fiche)
    assert counts()["confirmed"]["6"] == 1


def test_the_fiches_a_place_or_words_leave_are_read_once_and_follow_the_fiches(client):
    """Around a commune, or with words, the fiches they leave are read by id once for all
    the choices ticked with them, and again once a fiche changes."""
    make_profile(tenure="rental", presentation="Un grand potager partagé.")
    around = {"commune": "42218", "km": 20}
    assert client.get(API, {**around, "q": "potager"}).json()["count"] == 1
    with CaptureQueriesContext(connection) as queries:
        for tenure in ("rental", "cooperative"):
            client.get(API, {**around, "q": "potager", "tenure": tenure})
    # Each search reads its page of fiches (and their relations), not the ids again.
    assert not [
        q for q in queries if q["sql"].startswith('SELECT "profiles_module_profile"."id" AS "pk"')
    ]
    second = make_profile(
        tenure="cooperative", presentation="Potager et poules.", email="second@example.org"
    )
    found = client.get(API, {**around, "q": "potager", "tenure": "cooperative"}).json()
    assert [fiche["uid"] for fiche in found["results"]] == [str(second.uid)]
    assert found["count"] == 1
    assert client.get(API, {**around, "q": "potager"}).json()["count"] == 2
    second.unpublish()
    assert client.get(API, {**around, "q": "potager"}).json()["count"] == 1


def test_searches_around_a_commune_and_with_words_through_redis(client, map_page):
    """Production's cache is Redis, which stores what it is given otherwise than the tests'
    local memory: the sets of fiches (integers of thousands of digits) go through it."""
    # Bit 20,000 set: an integer of 6,000 digits, as ids run at 100,000 fiches.
    make_profile(pk=20_000, tenure="rental", presentation="Un grand potager partagé.")
    with redis_key_prefix() as prefix:
        redis = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
        # The search itself each time, not the page kept whole (search/page_cache.py).
        with override_settings(CACHES=redis, PROFILES_MAP_PAGE_CACHE_SECONDS=0):
            for _ in range(2):  # computed, then read back from Redis
                IN_PROCESS.entries.clear()  # as another process: not from this one's memory
                page = client.get("/trouver/", {"commune": "42218", "km": 20, "q": "potager"})
                assert page.status_code == 200
                assert page.context["result_count"] == 1
                found = client.get(API, {"commune": "42218", "q": "potager", "tenure": "rental"})
                assert found.json()["count"] == 1


def test_sets_ten_minutes_old_are_read_again_by_one_process_while_the_others_wait(
    monkeypatch,
):
    """Every worker reading the sets again at once, ten minutes after they were read,
    stalled the site for seconds: one process reads them, the others keep the copy they
    have for that moment."""
    make_profile(tenure="rental")
    first = facets.choice_sets()
    ten_minutes_later = first.read_at + SEARCH_CACHE_SECONDS + 1
    monkeypatch.setattr(facets.time, "time", lambda: ten_minutes_later)
    key = facets.SETS_KEY + SEARCHED_FICHES.current()
    cache.add(key + ":reading", True, 60)  # another process is reading them
    with CaptureQueriesContext(connection) as queries:
        assert facets.choice_sets().read_at == first.read_at
    assert not queries.captured_queries
    cache.delete(key + ":reading")  # it is done, or gone: this one reads them
    with CaptureQueriesContext(connection) as queries:
        again = facets.choice_sets()
    assert again.read_at == ten_minutes_later
    assert len(queries.captured_queries) == 1
    assert facets.choice_sets() is again  # and keeps them


def another_process_is_reading_the_sets():
    """What a worker sees while another reads the sets of the fiches' current state."""
    cache.add(facets.SETS_KEY + SEARCHED_FICHES.current() + ":reading", True, 60)


@pytest.mark.parametrize(
    "cookie, sort",
    [(False, "newest"), (True, "newest"), (True, "confirmed")],
    ids=["kept page", "searched page", "ordered by SQL"],
)
def test_after_a_change_the_others_answer_from_the_state_before_while_one_process_reads(
    client, map_page, cookie, sort
):
    """Every worker reading the sets at once after a fiche changed stalled every search
    for seconds: while one reads them, the others answer from the state before the
    change, and keep neither its counts nor its page under the new state."""
    if cookie:
        client.cookies["sessionid"] = "a-visitor"  # searched each time, not kept whole
    search = {"tenure": "rental", "sort": sort}
    make_profile(tenure="rental")
    assert client.get("/trouver/", search).context["result_count"] == 1
    second = make_profile(tenure="rental", email="second@example.org")
    another_process_is_reading_the_sets()

    with CaptureQueriesContext(connection) as queries:
        meanwhile = client.get("/trouver/", search)
    assert meanwhile.context["result_count"] == 1  # the state before the change
    assert len(queries.captured_queries) <= 2  # its page of fiches and their sectors
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 1

    cache.delete(facets.SETS_KEY + SEARCHED_FICHES.current() + ":reading")  # done, or gone
    page = client.get("/trouver/", search)
    assert page.context["result_count"] == 2
    assert second.public_name in page.content.decode()
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 2


def test_outside_a_request_the_sets_of_the_current_state_are_read_at_once():
    """A task (saved searches' alerts) finds what the map will find, never the state
    before a change."""
    make_profile(tenure="rental")
    assert counts()["tenure"]["rental"] == 1
    make_profile(tenure="rental", email="second@example.org")
    another_process_is_reading_the_sets()
    assert counts()["tenure"]["rental"] == 2


def reads_of_the_sets(queries):
    """The queries that read the sets of fiches (ChoiceSets.read: every public fiche)."""
    return [q for q in queries if '"profiles_module_profile"."financing_band"' in q["sql"]]


@pytest.mark.parametrize("cookie", [False, True], ids=["kept page", "searched page"])
def test_a_read_a_visitor_would_notice_is_made_once_the_answer_is_sent(
    client, map_page, monkeypatch, cookie
):
    """At 100,000 fiches the process that reads the sets after a change kept its visitor
    waiting a second or more: it answers from the state before, then reads them."""
    monkeypatch.setattr(facets, "NOTICEABLE_SECONDS", -1)  # any read, as one at 100,000
    if cookie:
        client.cookies["sessionid"] = "a-visitor"
    make_profile(tenure="rental")
    assert client.get("/trouver/", {"tenure": "rental"}).context["result_count"] == 1
    second = make_profile(tenure="rental", email="second@example.org")

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/trouver/", {"tenure": "rental"})
    assert first.context["result_count"] == 1  # the state before the change
    # Read once the answer was sent (the test client closes it, as a server does).
    assert len(reads_of_the_sets(queries.captured_queries)) == 1
    assert queries.captured_queries[-1] == reads_of_the_sets(queries.captured_queries)[0]

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/trouver/", {"tenure": "rental"})
    assert page.context["result_count"] == 2
    assert second.public_name in page.content.decode()
    assert not reads_of_the_sets(queries.captured_queries)


def test_a_quick_read_is_made_before_answering(client, map_page):
    """At 10,000 fiches a read takes 0.15 s: the search waits for it and finds the change."""
    make_profile(tenure="rental")
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 1
    make_profile(tenure="rental", email="second@example.org")
    assert client.get(API, {"tenure": "rental"}).json()["count"] == 2
