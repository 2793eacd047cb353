"""Measure the commune autocomplete endpoint and print its latency percentiles.

    .venv/bin/python benchmarks/autocomplete.py [--requests 2000] [--url http://127.0.0.1:8000]

Without --url the requests go through Django in-process (django.test.Client: full
middleware stack, no network); with --url they go over HTTP to a running server.
Uses the database of the current settings (DATABASE_URL), which must hold the
geography (`manage.py load_geography`).
"""

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")


def queries(count, rng):
    """What people type: name prefixes of 2+ letters, full names, "St" forms, postal codes."""
    from profiles_module.models import Commune

    communes = list(Commune.objects.order_by("pk").values_list("name", "postal_codes"))
    typed = []
    for _ in range(count):
        name, postal_codes = rng.choice(communes)
        kind = rng.random()
        if kind < 0.5:
            typed.append(name[: rng.randint(2, max(2, len(name)))])
        elif kind < 0.7:
            typed.append(name.replace("Saint-", "St ").lower())
        elif kind < 0.9 and postal_codes:
            code = rng.choice(postal_codes.split())
            typed.append(code[: rng.randint(2, 5)])
        else:
            typed.append(name)
    return typed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--url", help="base URL of a running server (default: in-process)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    typed = queries(args.requests, random.Random(args.seed))
    client = Client()
    path = "/futurs-voisins/communes/"
    timings = []
    for query in typed:
        start = time.perf_counter()
        if args.url:
            url = f"{args.url}{path}?{urllib.parse.urlencode({'q': query})}"
            with urllib.request.urlopen(url) as response:  # noqa: S310 (local server)
                response.read()
                status = response.status
        else:
            status = client.get(path, {"q": query}, HTTP_HOST="127.0.0.1").status_code
        timings.append((time.perf_counter() - start) * 1000)
        assert status == 200, (query, status)

    timings.sort()
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"commune autocomplete, {len(timings)} requests, {database}, "
        f"{'HTTP ' + args.url if args.url else 'in-process'}"
    )
    for label, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        print(f"  {label}: {timings[int(q * (len(timings) - 1))]:.1f} ms")
    print(f"  mean: {statistics.fmean(timings):.1f} ms, max: {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
