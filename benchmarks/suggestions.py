"""Measure the suggestions of one fiche ("voisins idéals") and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1/fv_bench .venv/bin/python benchmarks/suggestions.py

The database must be migrated and hold the geography and the profiles, e.g.
`manage.py load_geography` then `manage.py seed_demo --profiles 100000 --seed 1`.
For random published fiches (the same ones for the same --seed) the script times
`suggestions_for` (the candidates, the ranking in SQL and the reasons of those shown) and,
apart, the owner's whole management page through Django's test client. Prints p50, p95
and the worst, the number of queries, and how often the search had to widen; asserts
nothing about time. To sign in, it adds a management link (a token row) for 20 fiches.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def figures(label, timings, queries):
    print(
        f"{label:34} p50 {percentile(timings, 0.5):7.1f} ms   p95 {percentile(timings, 0.95):7.1f}"
        f" ms   max {max(timings):7.1f} ms   queries {min(queries)}–{max(queries)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=50, help="random fiches measured")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from profiles_module.matching.suggest import suggestions_for
    from profiles_module.models import Profile
    from profiles_module.publication import tokens

    public = Profile.objects.public()
    ids = sorted(public.values_list("pk", flat=True))
    chosen = random.Random(args.seed).sample(ids, min(args.fiches, len(ids)))
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"suggestions, {len(ids)} public fiches ({Profile.objects.count()} in all), "
        f"{database}, {len(chosen)} random fiches"
    )
    suggestions_for(Profile.objects.get(pk=chosen[0]))  # warm-up (connection, caches)

    timings, queries, widened, shown = [], [], Counter(), []
    for pk in chosen:
        profile = Profile.objects.get(pk=pk)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            found = suggestions_for(profile)
            timings.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
        widened[found.widened or "near"] += 1
        shown.append(len(found))
    figures("suggestions_for (one fiche)", timings, queries)

    client = Client()
    page_timings, page_queries = [], []
    for pk in chosen[:20]:
        profile = Profile.objects.get(pk=pk)
        raw = tokens.issue(profile, tokens.Purpose.MANAGE)
        client.post(reverse("profiles_module:owner_link", args=[raw]), HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(reverse("profiles_module:manage"), HTTP_HOST="127.0.0.1")
            page_timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
        page_queries.append(len(captured))
    figures("management page (whole request)", page_timings, page_queries)
    print(
        f"suggestions shown: {min(shown)}–{max(shown)}; searched "
        + ", ".join(f"{name}: {count}" for name, count in widened.most_common())
    )


if __name__ == "__main__":
    main()
