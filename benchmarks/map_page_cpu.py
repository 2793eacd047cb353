"""CPU time of the map page in this process, on a busy machine too (prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench \
        .venv/bin/python benchmarks/map_page_cpu.py

benchmarks/search.py times requests on the wall clock, which other processes on the
machine disturb; this one counts only the CPU the request costs in Django (the
database's work is not counted), to compare two versions of the page's Python and
templates. Production-like: DEBUG off. The database must hold the demo data (see
search.py). Asserts nothing about time.

For counts that do not depend on the machine's load at all, run it under callgrind
with 0 and with N requests and divide the difference of the instruction totals by N:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python benchmarks/map_page_cpu.py --requests 10 --query "?region=84" --vary

(`--vary` asks for a new page of results each time, so no rendered card is reused.)
"""

import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

QUERIES = ["", "?departement=42&tenure=cooperative", "?region=84&page=2", "?q=potager"]


def main():
    import argparse

    import django

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=80, help="measured, per query")
    parser.add_argument("--query", action="append", help="instead of the usual queries")
    parser.add_argument("--vary", action="store_true", help="a new ?page= for each request")
    args = parser.parse_args()

    django.setup()
    from django.conf import settings
    from django.test import Client

    from profiles_module.models import MapPage

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    logging.disable(logging.CRITICAL)
    url = MapPage.objects.live().first().url
    client = Client()
    print(f"map page CPU in Django (process time), {url}, {args.requests} requests each")
    for query in args.query or QUERIES:
        for _ in range(3):
            client.get(url + query)
        samples = []
        for number in range(args.requests):
            page = (("&" if query else "?") + f"page={number + 2}") if args.vary else ""
            start = time.process_time()
            assert client.get(url + query + page).status_code == 200
            samples.append((time.process_time() - start) * 1000)
        if samples:
            print(f"{query or 'no filter':40} p50 {statistics.median(samples):6.2f} ms")


if __name__ == "__main__":
    main()
