"""CPU time of the map page in this process, on a busy machine too (prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench \
        .venv/bin/python benchmarks/map_page_cpu.py

benchmarks/search.py times requests on the wall clock, which other processes on the
machine disturb; this one counts only the CPU the request costs in Django (the
database's work is not counted), to compare two versions of the page's Python and
templates. Production-like: DEBUG off. The database must hold the demo data (see
search.py). Asserts nothing about time.
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
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from profiles_module.models import MapPage

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    logging.disable(logging.CRITICAL)
    url = MapPage.objects.live().first().url
    client = Client()
    print(f"map page CPU in Django (process time), {url}, 80 requests each, DEBUG off")
    for query in QUERIES:
        for _ in range(10):
            client.get(url + query)
        samples = []
        for _ in range(80):
            start = time.process_time()
            assert client.get(url + query).status_code == 200
            samples.append((time.process_time() - start) * 1000)
        samples.sort()
        print(f"{query or 'no filter':40} p50 {statistics.median(samples):6.2f} ms")


if __name__ == "__main__":
    main()
