"""What one request of each kind of the load test costs the machine (prints figures).

    .venv/bin/python benchmarks/request_cpu.py --host http://127.0.0.1:8100 --requests 40

The load test (benchmarks/load.py) says how many requests a second the site answers; this
says where the machine's time goes: for each kind of request the load test makes, with
the same random criteria (benchmarks/load/locustfile.py), it sends them one at a time and
prints the wall time and the CPU time of the whole machine (Linux's /proc/stat: gunicorn,
PostgreSQL and its parallel workers, Redis) per request. Run it against a site served the
way production serves it (`make prod`, 100,000 fiches), on a machine doing nothing else;
the client's own share is in the figures too (a few ms). Asserts nothing.
"""

import argparse
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))

import locustfile  # noqa: E402  (the load test's own criteria)
import requests  # noqa: E402  (installed with locust)


def busy_ticks():
    """Clock ticks the machine's CPUs spent working since boot."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # not idle, not waiting for the disk


def map_data():
    west, south = random.uniform(-5, 6), random.uniform(42, 49)
    zoom = random.choice([5, 6, 8, 10])
    span = 12 / 2 ** (zoom - 5)
    bbox = f"{west},{south},{west + span},{south + span / 2}"
    return "/futurs-voisins/api/v1/profiles/map/", {"zoom": zoom, "bbox": bbox}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="http://127.0.0.1:8100")
    parser.add_argument("--requests", type=int, default=40, help="per kind")
    # A new seed each run by default: searches nobody made, as in the load test.
    parser.add_argument("--seed", type=int, default=random.randrange(10**6))
    args = parser.parse_args()
    if urlsplit(args.host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("Only against this machine: its CPU is what is measured.")
    random.seed(args.seed)
    session = requests.Session()
    fiches = []
    for params in [{}] + [locustfile.criteria() for _ in range(5)]:
        page = session.get(args.host + "/trouver/", params=params)
        fiches += locustfile.FICHE_RE.findall(page.text)
    kinds = {
        "map page, random search": lambda: (
            random.choice(locustfile.MAP_PAGES),
            locustfile.criteria(),
        ),
        "map page, national": lambda: ("/trouver/", {}),
        "fiche page": lambda: (random.choice(fiches), {}),
        "API (JSON)": lambda: (
            "/futurs-voisins/api/v1/profiles/",
            locustfile.criteria(pages=False),
        ),
        "API (GeoJSON), 200": lambda: (
            "/futurs-voisins/api/v1/profiles.geojson",
            locustfile.criteria(pages=False) | {"page_size": 200},
        ),
        "map data": map_data,
        "commune autocomplete": lambda: (
            "/futurs-voisins/communes/",
            {"q": random.choice(locustfile.PREFIXES)},
        ),
    }
    ticks_per_second = 100  # USER_HZ on Linux
    print(f"one request at a time, {args.requests} per kind, {args.host}, --seed {args.seed}")
    print(f"{'request':<26}{'wall':>10}{'CPU':>10}")
    for name, make in kinds.items():
        asked = [make() for _ in range(args.requests)]
        ticks, start = busy_ticks(), time.perf_counter()
        for path, params in asked:
            response = session.get(args.host + path, params=params)
            if response.status_code >= 500:
                sys.exit(f"{path} {params}: {response.status_code}")
        wall = (time.perf_counter() - start) * 1000 / args.requests
        cpu = (busy_ticks() - ticks) * 1000 / ticks_per_second / args.requests
        print(f"{name:<26}{wall:>8.1f}ms{cpu:>8.1f}ms")


if __name__ == "__main__":
    main()
