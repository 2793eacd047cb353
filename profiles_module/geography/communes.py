"""Loading and searching the reference geography shipped in data/geography/."""

import csv
import gzip
from pathlib import Path

from django.db import transaction
from django.db.models import Case, Q, When

from profiles_module.models import Commune, Departement, Region, Sector, normalize_place_name

DATA_DIR = Path(__file__).resolve().parent / "data" / "geography"


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
    return report


def search_communes(text, limit=10, territory=None):
    """Communes matching a name or postal code: the exact name, then the most populated.

    Insensitive to accents, case, hyphens and "St"/"Saint". A name matches from its
    start ("saint et" → Saint-Étienne) or from any later word ("malo" → Saint-Malo).
    `territory` (a search.Territory; None or empty: all of France) limits them to its
    départements.
    """
    text = text.strip()[:100]
    communes = Commune.objects.only("id", "name", "postal_codes", "insee_code")
    if territory is not None and not territory.everywhere:
        communes = communes.filter(departement__in=territory.departements_queryset().values("pk"))
    if text.isdigit():
        if len(text) < 2:
            return []
        match = Q(postal_codes__startswith=text) | Q(postal_codes__contains=f" {text}")
        if len(text) == 5:
            match |= Q(insee_code=text)
        return list(communes.filter(match).order_by("-population", "name")[:limit])
    query = normalize_place_name(text)
    if not query:
        return []
    exact_first = Case(When(search_name=query, then=0), default=1)
    return list(
        communes.filter(
            Q(search_name__startswith=query) | Q(search_name__contains=f" {query}")
        ).order_by(exact_first, "-population", "name")[:limit]
    )
