"""Measure the public search (map page, API, map data) and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench .venv/bin/python benchmarks/search.py

The database must be migrated and hold the geography and the profiles, e.g.
`manage.py load_geography` then `manage.py seed_demo --profiles 100000 --seed 1`.
Requests go through Django in-process (django.test.Client: full middleware stack, no
network, DEBUG off as in production), each map page searched and rendered (not the
whole page kept for the next browser without cookies, search/page_cache.py). For each
request the script also times the SQL it ran (replayed with cursor.execute) and prints
the ratio, the number of queries, and the gzipped size of the national map payload. It
creates a map page under the home page if there is none.
Prints figures; asserts nothing about time.
"""

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

SCENARIOS = [
    ("page: no filter", "{page}"),
    ("page: département + tenure", "{page}?departement=42&tenure=cooperative"),
    ("page: région, 2nd page", "{page}?region=84&page=2"),
    ("page: 20 km around Lyon, nearest", "{page}?commune=69123&km=20&sort=nearest"),
    ("page: kind + value + confirmed", "{page}?kind=household&value=ecology&confirmed=6"),
    ("page: most recently confirmed first", "{page}?sort=confirmed"),
    ("page: free text", "{page}?q=potager"),
    ("api: no filter", "/futurs-voisins/api/v1/profiles/"),
    ("api: département + tenure", "/futurs-voisins/api/v1/profiles/?departement=69&tenure=rental"),
    (
        "api: around Nantes, 100/page",
        "/futurs-voisins/api/v1/profiles/?commune=44109&km=50&page_size=100",
    ),
    ("geojson: région", "/futurs-voisins/api/v1/profiles.geojson?region=53"),
    ("map: national", "/futurs-voisins/api/v1/profiles/map/?zoom=6&bbox=-5.5,41,10,51.5"),
    (
        "map: zoomed on Lyon",
        "/futurs-voisins/api/v1/profiles/map/?zoom=11&bbox=4.6,45.6,5.1,45.9",
    ),
]


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def map_page_url():
    from home.models import HomePage
    from profiles_module.models import MapPage

    page = MapPage.objects.live().first()
    if page is None:
        page = MapPage(title="Trouver des futurs voisins", slug="trouver-benchmark")
        HomePage.objects.first().add_child(instance=page)
    return page.url


def replay(queries):
    """Time the raw SQL of captured queries, as the database driver runs it."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query["sql"])
            if cursor.description:
                cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def page_costs(client, label, url, repeat):
    """Time a request and the SQL it ran; print a row of the figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, HTTP_HOST="127.0.0.1")  # warm-up (caches, connection)
    timings, sql_timings, counts = [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.add(len(captured))
        sql_timings.append(replay(captured.captured_queries))
    return print_row(label, timings, sql_timings, counts)


def print_row(label, timings, sql_timings, counts):
    """Print p50, p95, the SQL's p50, their ratio and the numbers of queries; return the
    p95 and the ratio."""
    p50, p95, sql50 = (
        percentile(timings, 0.5),
        percentile(timings, 0.95),
        percentile(sql_timings, 0.5),
    )
    # A request without SQL (answered from the cache) has no ratio to it: p50 over the
    # cost of opening a cursor would say nothing.
    ratio = p50 / sql50 if max(counts) else None
    print(
        f"{label:38} {p50:7.1f}ms {p95:7.1f}ms {sql50:7.1f}ms "
        f"{'—' if ratio is None else f'{ratio:.1f}x':>6} "
        f"{'/'.join(str(c) for c in sorted(counts)):>7}"
    )
    return p95, ratio or 0


def pages_with_facets_uncached(client, page_url, repeat):
    """The map pages as a visitor gets them when their counts are not in the cache
    (their first visit in a minute): the whole response, the counts included."""
    from unittest import mock

    from django.core.cache.backends.dummy import DummyCache

    from profiles_module.search import facets

    print(f"{'page, facet counts uncached':38} {'p50':>8} {'p95':>8} {'SQL p50':>8}")
    # The number of results comes with the counts: not cached either.
    with mock.patch.object(facets, "cache", DummyCache("facets", {})):
        for label, template in SCENARIOS:
            if label.startswith("page"):
                page_costs(client, label, template.format(page=page_url), repeat)


def facet_costs(page_url, repeat):
    """The counts next to the choices, computed afresh (the page keeps them a minute in
    the cache, so the page timings above mostly show the cached cost)."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from profiles_module.models import MapPage
    from profiles_module.search.facets import ChoiceSets, count_choices
    from profiles_module.search.filters import ProfileFilterSet

    page = MapPage.objects.live().first()
    # Once per change of a fiche, for every search (and every process, through the cache).
    reads = []
    for _ in range(5):
        start = time.perf_counter()
        ChoiceSets.read()
        reads.append((time.perf_counter() - start) * 1000)
    print(f"{'choice sets read after a change':38} {percentile(reads, 0.5):7.1f}ms (p50 of 5)")
    columns = f"{'p50':>8} {'p95':>8} {'SQL p50':>8} {'ratio':>6} {'queries':>7}"
    print(f"{'facet counts, uncached':38} {columns}")
    for label, template in SCENARIOS:
        if not label.startswith("page"):
            continue
        query = QueryDict(template.format(page=page_url).partition("?")[2])
        timings, sql_timings, counts = [], [], set()
        for _ in range(repeat):
            filterset = ProfileFilterSet(
                query,
                territory=page.get_territory(),
                kinds=list(page.profile_kinds) or None,
                offered=page.offered_filters(),
            )
            filterset.form.is_valid()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                count_choices(filterset)
                timings.append((time.perf_counter() - start) * 1000)
            counts.add(len(captured))
            sql_timings.append(replay(captured.captured_queries))
        print_row(label, timings, sql_timings, counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="per scenario")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from profiles_module.models import Profile

    # As production runs: with DEBUG on, Django's templates keep what a debug page needs,
    # which the figures would count.
    settings.DEBUG = False
    # The search itself: the pages kept whole for browsers without cookies
    # (search/page_cache.py) would answer every repeated request without searching.
    settings.PROFILES_MAP_PAGE_CACHE_SECONDS = 0
    client = Client()
    page = map_page_url()
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"public search, {Profile.objects.public().count()} public profiles "
        f"({Profile.objects.count()} in all), {database}, in-process, "
        f"{args.requests} requests per scenario"
    )
    print(f"{'scenario':38} {'p50':>8} {'p95':>8} {'SQL p50':>8} {'ratio':>6} {'queries':>7}")
    worst_p95 = worst_ratio = 0
    for label, template in SCENARIOS:
        p95, ratio = page_costs(client, label, template.format(page=page), args.requests)
        worst_p95, worst_ratio = max(worst_p95, p95), max(worst_ratio, ratio)
    facet_costs(page, args.requests)
    pages_with_facets_uncached(client, page, args.requests)
    national = dict(SCENARIOS)["map: national"]
    body = client.get(national, HTTP_HOST="127.0.0.1").content
    print(
        f"national map payload: {len(body) / 1024:.1f} kB, "
        f"{len(gzip.compress(body)) / 1024:.1f} kB gzipped"
    )
    print(f"worst p95: {worst_p95:.1f} ms, worst ratio to raw SQL (p50): {worst_ratio:.1f}x")


if __name__ == "__main__":
    main()
