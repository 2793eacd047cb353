"""Measure the projects import and the map's projects layer, and print the figures.

    .venv/bin/python benchmarks/projects_import.py [--projects 3000]

Builds a Bazar answer of N fictional projects over real communes, then times: a first
import (every project created), the same answer again (all unchanged), an answer with
10 % changed and 5 % gone, the GeoJSON layer (time, size raw and gzipped) and the
projects' suggestions. Everything runs in one transaction rolled back at the end: the
database of the current settings (DATABASE_URL, with the geography loaded) is left as it
was.
"""

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")


def answer(communes, count, rng, changed=0.0, gone=0.0):
    entries = {}
    for number in range(count):
        if rng.random() < gone:
            continue
        name, postal_codes, lat, lng = communes[number % len(communes)]
        bazar_id = f"Projet{number}"
        entries[bazar_id] = {
            "id_fiche": bazar_id,
            "bf_titre": f"Projet {number} de {name}"
            + (" (renommé)" if rng.random() < changed else ""),
            "bf_ville": name,
            "bf_code_postal": (postal_codes.split() or [""])[0],
            "bf_latitude": str(round(lat, 5)),
            "bf_longitude": str(round(lng, 5)),
            "url": f"https://projets.example.org/?{bazar_id}",
            "listeListeTypeProjet": ["Construction neuve", "Réhabilitation"][number % 2],
            "listeListeEtatAvancement": ["En réflexion", "Habité"][number % 3 % 2],
            "date_maj_fiche": "2026-01-01 10:00:00",
        }
    return json.dumps(entries).encode()


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=3000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    from profiles_module.models import Commune
    from profiles_module.projects.importer import import_projects

    rng = random.Random(1)
    communes = list(
        Commune.objects.filter(population__gte=2000).values_list(
            "name", "postal_codes", "latitude", "longitude"
        )
    )
    rng.shuffle(communes)
    print(f"{options.projects} projects over {len(communes)} communes ({connection.vendor})")
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        path = Path(folder) / "projets.json"
        runs = [
            ("first import", answer(communes, options.projects, random.Random(2))),
            ("same answer again", answer(communes, options.projects, random.Random(2))),
            ("10 % changed, 5 % gone", answer(communes, options.projects, rng, 0.1, 0.05)),
        ]
        for label, data in runs:
            path.write_bytes(data)
            queries = []

            def count(run, sql, params, many, context, queries=queries):
                queries.append(sql)
                return run(sql, params, many, context)

            with connection.execute_wrapper(count):
                log, seconds = timed(lambda: import_projects(path=path))  # noqa: B023
            print(
                f"{label:24} {seconds:6.2f} s  {len(queries):6} queries  created {log.created}"
                f" updated {log.updated} unchanged {log.unchanged} gone {log.removed}"
                f" ({len(data) / 1024:.0f} KiB)"
            )
        client = Client(HTTP_HOST="localhost")
        times = []
        for _ in range(10):
            response, seconds = timed(lambda: client.get("/futurs-voisins/api/v1/projects.geojson"))
            times.append(seconds)
        assert response.status_code == 200, response.status_code
        body = response.content
        print(
            f"GeoJSON layer            p50 {statistics.median(times) * 1000:6.1f} ms  "
            f"{len(body) / 1024:.0f} KiB, {len(gzip.compress(body)) / 1024:.0f} KiB gzipped"
        )
        times = []
        for word in ["projet", "lyon", "12", "renommé", "projet 1", "de saint"] * 10:
            response, seconds = timed(
                lambda: client.get("/futurs-voisins/projets/", {"q": word})  # noqa: B023
            )
            times.append(seconds)
            assert response.status_code == 200, response.status_code
        print(
            f"suggestions (60)         p50 {statistics.median(times) * 1000:6.1f} ms  "
            f"p95 {statistics.quantiles(times, n=20)[18] * 1000:6.1f} ms"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
