"""Query logic of the public search: territories, distances, free text, map aggregates.

Used by the map page, the profile page and the API, so they always agree.
"""

from django.core.cache import cache
from django.db.models import Avg, Count, F, Value
from django.db.models.functions import Floor
from wagtail.search.backends import get_search_backend

from profiles_module.common.geo import bounding_box, distance_km
from profiles_module.common.paths import profile_page_path
from profiles_module.common.text import search_words
from profiles_module.common.versions import CacheVersion
from profiles_module.conf import app_settings
from profiles_module.models import Profile, Sector
from profiles_module.models.profiles import MAX_SECTOR_RADIUS_KM
from profiles_module.models.territory import union_of_profile_ids

# Below this zoom the map always gets aggregates: a national view never ships points.
POINTS_MIN_ZOOM = 8
# How long what is cached under a search's key (search_key: map cells, facet counts,
# number of results) lasts when no fiche changes: only "confirmed within N months" moves
# with the clock, by a fiche now and then.
SEARCH_CACHE_SECONDS = 10 * 60
# Replaced when a search without criteria has its count squares counted at a zoom: the
# map pages kept whole for the next browser (page_cache.py) bring the squares counted
# when they were rendered, and are rendered again with the new zoom's too. Kept, the
# first page of the day (say a phone's, its map a zoom further out) would leave every
# other screen's map asking for its own squares until the page expires.
PAGE_CELLS = CacheVersion("profiles_module:search:page-cells")
# Public points are rounded to about 10 m, then spread by up to about 250 m (see jitter).
POINT_DECIMALS = 4


def near(queryset, commune, km):
    """Profiles whose map point is within km of the commune, or whose sectors overlap it.

    Three cases, each a subquery an index serves, joined by UNION ALL: map points in a
    bounding box on the indexed coordinates, then the exact distance; sectors around a
    commune of a larger box (same shape); sectors that are the commune's département or
    région. Annotates ``distance_km`` (from the map point) for sorting by distance.
    """
    south, west, north, east = bounding_box(commune.latitude, commune.longitude, km)
    distance = distance_km(commune.latitude, commune.longitude)
    # Public points only, so the index on (live, latitude, longitude) serves it: the
    # public search is the only user of near().
    by_point = (
        Profile.objects.public()
        .filter(latitude__range=(south, north), longitude__range=(west, east))
        .alias(distance_km=distance)
        .filter(distance_km__lte=km)
    )
    # Sectors around another commune whose circle reaches this one. A sector names only
    # the place of its kind (Sector.clean), so no kind condition: the index on (commune,
    # radius_km, profile) then answers alone, for each commune of the box.
    s2, w2, n2, e2 = bounding_box(commune.latitude, commune.longitude, km + MAX_SECTOR_RADIUS_KM)
    around = (
        Sector.objects.filter(
            commune__latitude__range=(s2, n2),
            commune__longitude__range=(w2, e2),
        )
        .alias(
            distance=distance_km(
                commune.latitude, commune.longitude, "commune__latitude", "commune__longitude"
            )
        )
        .filter(distance__lte=Value(float(km)) + F("radius_km"))
    )
    # Sectors that are the commune's département or région contain it.
    departement = Sector.objects.filter(departement_id=commune.departement_id)
    region = Sector.objects.filter(region_id=commune.departement.region_id)
    return with_distance(queryset, commune).filter(
        pk__in=union_of_profile_ids([by_point, around, departement, region])
    )


def with_distance(queryset, commune):
    """The fiches with ``distance_km`` from their map point to the commune (none without
    a commune)."""
    if commune is None:
        return queryset
    return queryset.annotate(distance_km=distance_km(commune.latitude, commune.longitude))


def text_search_ids(text):
    """Ids of the profiles whose public name or presentation matches, as a subquery.

    None when the text has no word to look for (punctuation only): no text filter then.
    No ``fields=`` restriction: the SQLite backend fails with it ("no such column"), and
    Profile.search_fields only index public texts (tests/test_privacy.py checks it).
    On PostgreSQL the backend matches ``title || body`` of its index table, which only
    the GIN index of migration 0010_search_speed serves; SQLite searches its FTS5 table.
    """
    words = search_words(text)
    if not words:
        return None
    backend = get_search_backend()
    results = backend.search(words, Profile.objects.all(), order_by_relevance=False)
    if hasattr(results, "get_queryset"):  # Database backends: stays one SQL query.
        return results.get_queryset().values("pk")
    return [profile.pk for profile in results]


def public_point(uid, latitude, longitude):
    """The map point of a profile, rounded and spread a little, the same way every time.

    Profiles around the same commune share its centre; a small offset derived from the
    uid keeps each marker visible (markercluster spiderfies what still overlaps).
    """
    if latitude is None or longitude is None:
        return None
    bits = uid.int
    dlat = ((bits % 1000) / 1000 - 0.5) * 0.004
    dlng = ((bits // 1000 % 1000) / 1000 - 0.5) * 0.006
    return (round(latitude + dlat, POINT_DECIMALS), round(longitude + dlng, POINT_DECIMALS))


# --- The map: aggregates at national zoom, points when zoomed in --------------------------


def parse_bbox(text):
    """'west,south,east,north' in degrees, or None when missing or invalid."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except (AttributeError, ValueError):
        return None
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        return None
    return west, south, east, north


def grid_cell_degrees(zoom):
    """Side of an aggregation cell: about 64 screen pixels at this zoom."""
    return 360 / (2**zoom) / 4


def map_features(queryset, bbox, zoom, search_key=None, *, brought_by_pages=False):
    """GeoJSON features for the visible area: one per profile, or one per grid cell.

    Points only from POINTS_MIN_ZOOM and below MAP_POINTS_LIMIT; otherwise counts per
    cell computed with GROUP BY, so the national payload does not grow with the data.

    Below POINTS_MIN_ZOOM, given the search's `search_key`, the cells of the whole search
    are counted once in the shared cache (until a fiche changes) and cut to the area: the national
    views of visitors differ by their screens, not by their cells. A cell then counts all
    its profiles, those just outside the area too. `brought_by_pages`: the search is one
    whose map pages bring its cells (remembered_cells), which newly counted ones update.
    """
    queryset = queryset.order_by()
    if zoom < POINTS_MIN_ZOOM and search_key is not None:
        key = cells_key(zoom, search_key)
        features = cache.get(key)
        if features is None:
            features = cell_features(located(queryset), zoom)
            cache.set(key, features, SEARCH_CACHE_SECONDS)
            if brought_by_pages:
                PAGE_CELLS.replace()
        return "cells", [feature for feature in features if inside(feature, bbox)]
    if bbox is not None:
        west, south, east, north = bbox
        queryset = queryset.filter(latitude__range=(south, north))
        if west <= east:
            queryset = queryset.filter(longitude__range=(west, east))
    queryset = located(queryset)
    limit = app_settings.MAP_POINTS_LIMIT
    if zoom >= POINTS_MIN_ZOOM:
        rows = list(
            queryset.values_list("uid", "public_name", "profile_kind", "latitude", "longitude")[
                : limit + 1
            ]
        )
        if len(rows) <= limit:
            return "points", [point_feature(*row) for row in rows]
    return "cells", cell_features(queryset, zoom)


def cells_key(zoom, search_key):
    return f"profiles_module:map-cells:{zoom}:{search_key}"


def remembered_cells(search_key):
    """The search's cells at each zoom already counted for some visitor's map, compact
    (``{zoom: [[longitude, latitude, count], ...]}``), to give with the page: its map then
    draws its first view without asking (a request, and a wait behind Leaflet's start).
    Only what is in the cache: a page never waits for cells it could do without."""
    keys = {cells_key(zoom, search_key): zoom for zoom in range(1, POINTS_MIN_ZOOM)}
    return {
        keys[key]: [
            [*cell["geometry"]["coordinates"], cell["properties"]["count"]] for cell in found
        ]
        for key, found in cache.get_many(keys).items()
    }


def located(queryset):
    return queryset.filter(latitude__isnull=False, longitude__isnull=False)


def inside(feature, bbox):
    """Whether a feature's point lies in the area, as map_features filters profiles."""
    if bbox is None:
        return True
    west, south, east, north = bbox
    longitude, latitude = feature["geometry"]["coordinates"]
    return south <= latitude <= north and (west > east or west <= longitude <= east)


def cell_features(queryset, zoom):
    """A feature per grid cell holding profiles: their count, at their average point."""
    cell = grid_cell_degrees(zoom)
    cells = (
        queryset.annotate(
            cell_y=Floor(F("latitude") / Value(cell)), cell_x=Floor(F("longitude") / Value(cell))
        )
        .values("cell_y", "cell_x")
        # COUNT(*): the index on (live, latitude, longitude) then holds every column read.
        .annotate(count=Count("*"), lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by()
    )
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["lng"], 3), round(row["lat"], 3)],
            },
            "properties": {"count": row["count"]},
        }
        for row in cells
    ]


def point_feature(uid, name, kind, latitude, longitude):
    lat, lng = public_point(uid, latitude, longitude)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {
            "uid": str(uid),
            "name": name,
            "kind": kind,
            "url": profile_page_path(uid, name),
        },
    }


# --- The map page --------------------------------------------------------------------------
