"""Loading the French reference geography shipped in data/ into the database."""

import csv
import gzip
from pathlib import Path

from django.db import transaction

from profiles_module.common.versions import CHOICE_LISTS
from profiles_module.models.geography import Commune, Departement, Region, normalize_place_name
from profiles_module.models.profiles import Profile, Sector

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(filename):
    path = DATA_DIR / filename
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def sync(model, key, rows, fields):
    """Insert new rows and update changed ones; return (created, updated) counts."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
        elif any(getattr(obj, field) != row[field] for field in fields):
            for field in fields:
                setattr(obj, field, row[field])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(to_create), len(to_update)


@transaction.atomic
def load_geography():
    """Load régions, départements and communes; running it again changes nothing.

    Returns {model name: (created, updated)}.
    """

    def place(row):
        return {
            "name": row["name"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
        }

    report = {}
    regions = [{"code": r["code"], **place(r)} for r in read_rows("regions.csv")]
    report["régions"] = sync(Region, "code", regions, ["name", "latitude", "longitude"])
    region_ids = dict(Region.objects.values_list("code", "id"))

    departements = [
        {"code": r["code"], "region_id": region_ids[r["region_code"]], **place(r)}
        for r in read_rows("departements.csv")
    ]
    report["départements"] = sync(
        Departement, "code", departements, ["name", "region_id", "latitude", "longitude"]
    )
    departement_ids = dict(Departement.objects.values_list("code", "id"))

    communes = [
        {
            "insee_code": r["insee_code"],
            "search_name": normalize_place_name(r["name"]),
            "postal_codes": r["postal_codes"],
            "departement_id": departement_ids[r["departement_code"]],
            "population": int(r["population"] or 0),
            **place(r),
        }
        for r in read_rows("communes.csv.gz")
    ]
    report["communes"] = sync(
        Commune,
        "insee_code",
        communes,
        [
            "name",
            "search_name",
            "postal_codes",
            "departement_id",
            "population",
            "latitude",
            "longitude",
        ],
    )
    if report["départements"][1] or report["communes"][1]:
        # A commune or a département may have moved: the sectors' territory follows.
        Sector.objects.refresh_territories()
        # And the départements and régions the fiches count in, for the search's counts.
        Profile.objects.refresh_facets()
    if any(created or updated for created, updated in report.values()):
        # Bulk writes send no signal: the lists of places and the communes suggested are
        # read again.
        CHOICE_LISTS.forget()
    return report
