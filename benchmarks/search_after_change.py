"""What visitors searching wait for when a fiche changes, on a running site; prints figures.

    .venv/bin/python benchmarks/search_after_change.py --url http://127.0.0.1:8100/trouver/ \
        --database-url postgres://postgres@127.0.0.1:5432/fv_bench \
        --cache-url redis://127.0.0.1:6379/8

Serve the site the way production does first (`scripts/serve-production` on a database
of 100,000 fiches, see README, "Measurements"), and give this script the same database and
cache. Visitors (threads, each with a cookie, so that each search is made and not answered
from a page kept for browsers without cookies) search the map page with varied criteria
without pause; every few seconds one household confirms its fiche, as the link of the
reminder email does (`mark_still_looking`, which changes the fiche, so the sets of fiches
the counts are made from must be read again). Prints, for the searches started in the
seconds after each change and for the others, how many, their p50, their slowest and how
many took over a second. The change is real: run it on a benchmark database. Asserts
nothing about time.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = [
    "?tenure=cooperative",
    "?departement=69",
    "?region=84&page=2",
    "?kind=household",
    "?tenure=rental&departement=44",
    "?q=potager",
    "?composition=couple&page=3",
]
AFTER = 3.0  # seconds after a change during which a search counts as "after"


def visitor(url, until, times):
    while time.time() < until:
        request = urllib.request.Request(  # noqa: S310 (loopback, checked in main)
            url + random.choice(SEARCHES), headers={"Cookie": "visitor=benchmark"}
        )
        start = time.time()
        with urllib.request.urlopen(request) as response:  # noqa: S310 (loopback)
            response.read()
        times.append((start, time.time() - start))


def row(label, durations):
    if not durations:
        return f"{label:28} none"
    slow = sum(1 for d in durations if d > 1)
    return (
        f"{label:28} {len(durations):5d} {statistics.median(durations) * 1000:8.0f} ms "
        f"{max(durations) * 1000:8.0f} ms {slow:6d}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="a map page served as production serves it")
    parser.add_argument("--database-url", required=True, help="the site's database")
    parser.add_argument("--cache-url", required=True, help="the site's Redis")
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--every", type=float, default=6.0, help="seconds between changes")
    args = parser.parse_args()
    if urlsplit(args.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("This benchmark changes fiches: it only runs against this machine (loopback).")

    os.environ.update(DATABASE_URL=args.database_url, CACHE_URL=args.cache_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from profiles_module.models import Profile
    from profiles_module.publication.lifecycle import mark_still_looking

    fiches = list(Profile.objects.public().order_by("?").values_list("pk", flat=True)[:50])
    urllib.request.urlopen(args.url).read()  # noqa: S310 (the site is up)
    times, changes = [], []
    until = time.time() + args.every * (args.changes + 1)
    threads = [
        threading.Thread(target=visitor, args=(args.url, until, times))
        for _ in range(args.visitors)
    ]
    for thread in threads:
        thread.start()
    for _ in range(args.changes):
        time.sleep(args.every)
        changes.append(time.time())
        mark_still_looking(Profile.objects.get(pk=random.choice(fiches)))
    for thread in threads:
        thread.join()

    after = [d for start, d in times if any(0 <= start - c < AFTER for c in changes)]
    others = [d for start, d in times if not any(0 <= start - c < AFTER for c in changes)]
    print(
        f"searches by {args.visitors} visitors without pause, {args.changes} fiches "
        f"confirmed {args.every:g} s apart, {args.url}"
    )
    print(f"{'':28} {'count':>5} {'p50':>11} {'slowest':>11} {'over 1 s':>6}")
    print(row(f"within {AFTER:g} s of a change", after))
    print(row("the others", others))


if __name__ == "__main__":
    main()
