"""Query logic of the public search: territories, distances, free text, map aggregates.

Used by the map page, the profile page and the API, so they always agree.
"""

import math
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, FloatField, Prefetch, Q, Value
from django.db.models.functions import ACos, Cos, Floor, Least, Radians, Sin
from django.urls import reverse
from django.utils.text import slugify
from wagtail.search.backends import get_search_backend

from .conf import app_settings
from .models import Commune, Departement, Profile, Region, Sector

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2
# Below this zoom the map always gets aggregates: a national view never ships points.
POINTS_MIN_ZOOM = 8
# Public points are rounded to about 10 m, then spread by up to about 250 m (see jitter).
POINT_DECIMALS = 4

# Every field a public card, the profile page or the API shows; nothing private.
PUBLIC_FIELDS = [
    "id",
    "uid",
    "profile_kind",
    "public_name",
    "composition",
    "adults",
    "children",
    "age_bands",
    "setting",
    "tenure",
    "financing_band",
    "financing_public",
    "social_housing_eligible",
    "horizon",
    "role",
    "place_identified",
    "place_commune",
    "values_other",
    "presentation",
    "photo",
    "national_project_url",
    "latitude",
    "longitude",
    "created_at",
    "last_confirmed_at",
]


@dataclass(frozen=True)
class Territory:
    """Régions and départements a search is limited to; empty means all of France.

    A profile is in the territory when one of its wished sectors overlaps it: a commune
    in it, one of its départements, or a région that contains part of it.
    """

    region_ids: tuple = ()
    departement_ids: tuple = ()

    @classmethod
    def of_page(cls, page):
        return cls(
            tuple(page.regions.values_list("pk", flat=True)),
            tuple(page.departements.values_list("pk", flat=True)),
        )

    @property
    def everywhere(self):
        return not (self.region_ids or self.departement_ids)

    def apply(self, queryset):
        if self.everywhere:
            return queryset
        regions, departements = self.region_ids, self.departement_ids
        # Same shape as in_places(): subqueries on the sector's indexed columns.
        all_departements = Departement.objects.filter(
            Q(pk__in=departements) | Q(region_id__in=regions)
        ).values("pk")
        sectors = Sector.objects.filter(
            Q(
                commune_id__in=Commune.objects.filter(departement_id__in=all_departements).values(
                    "pk"
                )
            )
            | Q(departement_id__in=all_departements)
            | Q(region_id__in=regions)
            | Q(region_id__in=Departement.objects.filter(pk__in=departements).values("region_id"))
        )
        return queryset.filter(pk__in=sectors.values("profile_id"))

    def departements_queryset(self):
        departements = Departement.objects.only("code", "name")
        if self.everywhere:
            return departements
        return departements.filter(
            Q(pk__in=self.departement_ids) | Q(region_id__in=self.region_ids)
        )

    def regions_queryset(self):
        regions = Region.objects.only("code", "name")
        if self.everywhere:
            return regions
        # Only the régions chosen whole: a région filter inside a few départements
        # would only repeat the département filter.
        return regions.filter(pk__in=self.region_ids)


def in_places(departement_codes=(), region_codes=()):
    """Profiles with a sector overlapping one of these départements or régions.

    Written as IN-subqueries on the sector's own indexed columns (no joins through
    communes), so PostgreSQL combines three index scans instead of joining tables.
    """
    departements = Departement.objects.filter(code__in=departement_codes or ())
    regions = Region.objects.filter(code__in=region_codes or ())
    region_ids = regions.values("pk")
    departement_ids = Departement.objects.filter(
        Q(pk__in=departements.values("pk")) | Q(region_id__in=region_ids)
    ).values("pk")
    sectors = Sector.objects.filter(
        Q(commune_id__in=Commune.objects.filter(departement_id__in=departement_ids).values("pk"))
        | Q(departement_id__in=departement_ids)
        | Q(region_id__in=region_ids)
        | Q(region_id__in=departements.values("region_id"))
    )
    return Q(pk__in=sectors.values("profile_id"))


def distance_km(latitude, longitude, lat_field="latitude", lng_field="longitude"):
    """Great-circle distance from a point to the fields' point, in SQL (SQLite and PostgreSQL).

    The spherical law of cosines, clamped so rounding never takes ACOS out of its domain.
    """
    lat, lng = math.radians(latitude), math.radians(longitude)
    cosine = Value(math.sin(lat)) * Sin(Radians(F(lat_field))) + Value(math.cos(lat)) * Cos(
        Radians(F(lat_field))
    ) * Cos(Radians(F(lng_field)) - Value(lng))
    return Value(EARTH_RADIUS_KM) * ACos(Least(Value(1.0), cosine, output_field=FloatField()))


def bounding_box(latitude, longitude, km):
    """(south, west, north, east) of a box holding every point within km."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, longitude - dlng, latitude + dlat, longitude + dlng


def near(queryset, commune, km):
    """Profiles whose map point is within km of the commune, or whose sectors overlap it.

    A bounding box on the indexed coordinates first, the exact distance on what is left.
    Annotates ``distance_km`` (from the map point) for sorting by distance.
    """
    south, west, north, east = bounding_box(commune.latitude, commune.longitude, km)
    distance = distance_km(commune.latitude, commune.longitude)
    queryset = queryset.annotate(distance_km=distance)
    by_point = Q(latitude__range=(south, north), longitude__range=(west, east), distance_km__lte=km)
    # Sectors around another commune whose circle reaches this one (radius 50 km at most).
    s2, w2, n2, e2 = bounding_box(commune.latitude, commune.longitude, km + 50)
    around = (
        Sector.objects.filter(
            kind=Sector.Kind.COMMUNE,
            commune__latitude__range=(s2, n2),
            commune__longitude__range=(w2, e2),
        )
        .annotate(
            distance=distance_km(
                commune.latitude, commune.longitude, "commune__latitude", "commune__longitude"
            )
        )
        .filter(distance__lte=Value(float(km)) + F("radius_km"))
    )
    # Sectors that are the commune's département or région contain it.
    containing = Sector.objects.filter(
        Q(departement_id=commune.departement_id) | Q(region_id=commune.departement.region_id)
    )
    return queryset.filter(
        by_point | Q(pk__in=around.values("profile_id")) | Q(pk__in=containing.values("profile_id"))
    )


def text_search_ids(text):
    """Ids of the profiles whose public name or presentation matches, as a subquery.

    No ``fields=`` restriction: the SQLite backend fails with it ("no such column"), and
    Profile.search_fields only index public texts (tests/test_privacy.py checks it).
    """
    backend = get_search_backend()
    results = backend.search(text, Profile.objects.all(), order_by_relevance=False)
    if hasattr(results, "get_queryset"):  # Database backends: stays one SQL query.
        return results.get_queryset().values("pk")
    return [profile.pk for profile in results]


def with_public_relations(queryset):
    """Only the public columns, and the relations cards show, in a constant number of queries."""
    return queryset.only(*PUBLIC_FIELDS).prefetch_related(
        Prefetch(
            "sectors",
            queryset=Sector.objects.select_related("commune", "departement", "region"),
        ),
        "project_kinds",
        "values",
        "steps",
    )


def profile_path(profile):
    return reverse(
        "profiles_module:profile_detail",
        kwargs={"uid": profile.uid, "slug": profile_slug(profile.public_name)},
    )


def profile_slug(name):
    return slugify(name)[:50] or "fiche"


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


def map_features(queryset, bbox, zoom):
    """GeoJSON features for the visible area: one per profile, or one per grid cell.

    Points only from POINTS_MIN_ZOOM and below MAP_POINTS_LIMIT; otherwise counts per
    cell computed with GROUP BY, so the national payload does not grow with the data.
    """
    queryset = queryset.order_by()
    if bbox is not None:
        west, south, east, north = bbox
        queryset = queryset.filter(latitude__range=(south, north))
        if west <= east:
            queryset = queryset.filter(longitude__range=(west, east))
    queryset = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    limit = app_settings.MAP_POINTS_LIMIT
    if zoom >= POINTS_MIN_ZOOM:
        rows = list(
            queryset.values_list("uid", "public_name", "profile_kind", "latitude", "longitude")[
                : limit + 1
            ]
        )
        if len(rows) <= limit:
            return "points", [point_feature(*row) for row in rows]
    cell = grid_cell_degrees(zoom)
    cells = (
        queryset.annotate(
            cell_y=Floor(F("latitude") / Value(cell)), cell_x=Floor(F("longitude") / Value(cell))
        )
        .values("cell_y", "cell_x")
        .annotate(count=Count("pk"), lat=Avg("latitude"), lng=Avg("longitude"))
        .order_by()
    )
    return "cells", [
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
            "url": reverse(
                "profiles_module:profile_detail",
                kwargs={"uid": uid, "slug": profile_slug(name)},
            ),
        },
    }


# --- The map page --------------------------------------------------------------------------

# Shown above the fold; the other offered filters sit under "More criteria".
MAIN_FILTERS = ["commune", "km", "departement", "region", "kind", "tenure", "q"]


def search_context(request, page):
    """Template context of a MapPage: the filter form, the count, one page of cards, the map."""
    from .filters import ProfileFilterSet
    from .views import tile_layer

    kinds = list(page.profile_kinds)
    filterset = ProfileFilterSet(
        request.GET,
        territory=page.get_territory(),
        kinds=kinds or None,
        offered=page.offered_filters(),
    )
    queryset = filterset.qs
    paginator = Paginator(with_public_relations(queryset), app_settings.SEARCH_PAGE_SIZE)
    page_number = request.GET.get("page")
    results = paginator.get_page(page_number)
    page_error = bool(page_number) and str(results.number) != page_number
    querystring = filterset.querystring()
    active = filterset.active_filters()
    bounds = None
    if active or (not page.location and not filterset.territory.everywhere):
        # The map opens on the listed profiles: no extra query over the whole result.
        points = [(p.latitude, p.longitude) for p in results if p.latitude is not None]
        if points:
            lats, lngs = [p[0] for p in points], [p[1] for p in points]
            bounds = [[min(lats), min(lngs)], [max(lats), max(lngs)]]
    form = filterset.form
    main = [name for name in MAIN_FILTERS if name in form.fields]
    more = [name for name in form.fields if name not in main and name != "sort"]
    error_messages = [
        (form.fields[name].label if name in form.fields else "", message)
        for name, messages in filterset.errors.items()
        for message in messages
    ]
    latitude, longitude = page.centre
    map_query = f"page_id={page.pk}" + (f"&{querystring}" if querystring else "")
    return {
        "filterset": filterset,
        "results": results,
        "result_count": paginator.count,
        "page_error": page_error,
        "querystring": querystring,
        "back": request.get_full_path(),
        "active_filters": active,
        "main_fields": [form[name] for name in main],
        "more_fields": [form[name] for name in more],
        "more_filters_active": any(name in more for name in active),
        "error_messages": error_messages,
        "show_distance": filterset.chosen_commune is not None,
        "tiles": tile_layer(),
        "map_options": {
            "centre": [latitude, longitude],
            "zoom": page.zoom,
            "bounds": bounds,
            "endpoint": reverse("profiles_module:api_map") + "?" + map_query,
            "pointsMinZoom": POINTS_MIN_ZOOM,
        },
    }
