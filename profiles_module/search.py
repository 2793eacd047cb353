"""Query logic of the public search: territories, distances, free text, map aggregates.

Used by the map page, the profile page and the API, so they always agree.
"""

import functools
import math
import re
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Avg, Count, F, FloatField, Prefetch, Q, Value
from django.db.models.functions import ACos, Cos, Floor, Least, Radians, Sin
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst, slugify
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.search.backends import get_search_backend

from .conf import app_settings
from .models import Departement, Profile, ProfileOption, Region, Sector
from .models.profiles import choice_labels
from .widgets import escape

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.2
# The largest radius of a sector around a commune (Sector.RADIUS_CHOICES).
MAX_SECTOR_RADIUS_KM = max(km for km, _label in Sector.RADIUS_CHOICES)
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

    def __and__(self, other):
        """The part of France both cover (a map page's territory and a partner's)."""
        if self.everywhere or other is None:
            return self if other is None else other
        if other.everywhere:
            return self
        regions = set(self.region_ids) & set(other.region_ids)
        whole = set(Departement.objects.filter(region_id__in=regions).values_list("pk", flat=True))
        departements = set(self.departements_queryset().values_list("pk", flat=True)) & set(
            other.departements_queryset().values_list("pk", flat=True)
        )
        if not regions and not departements:
            return NOWHERE
        return Territory(tuple(sorted(regions)), tuple(sorted(departements - whole)))

    def apply(self, queryset):
        if self.everywhere:
            return queryset
        return queryset.filter(
            pk__in=profiles_overlapping(
                departements=self.departement_ids or None, regions=self.region_ids or None
            )
        )

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


# A territory that matches no profile (no département has the id 0).
NOWHERE = Territory(departement_ids=(0,))


def profiles_overlapping(*, departements=None, regions=None):
    """Ids (a subquery) of the profiles with a sector overlapping these places.

    ``departements`` and ``regions``: ids, or querysets of ids; None for none. A sector
    overlaps a département when it lies in it (a commune of it, or the département
    itself) or is the région containing it, and a région when it lies in it; where a
    sector lies is in its indexed territory columns (see Sector.territory_departement).
    One SELECT per case joined by UNION ALL, rather than ORs: each is an index scan,
    where an OR of subqueries makes PostgreSQL read every sector.
    """
    cases = []
    if departements is not None:
        cases.append(Q(territory_departement__in=departements))
        # Région sectors containing one of them: only a région sector names a région
        # (Sector.clean), and its own column has an index.
        cases.append(
            Q(region__in=Departement.objects.filter(pk__in=departements).values("region_id"))
        )
    if regions is not None:
        cases.append(Q(territory_region__in=regions))
    return union_of_profile_ids(Sector.objects.filter(case) for case in cases)


def union_of_profile_ids(querysets):
    """UNION ALL of profile ids from sectors (or profiles), for a ``pk__in`` filter."""
    selects = [
        queryset.order_by().values("pk" if queryset.model is Profile else "profile_id")
        for queryset in querysets
    ]
    return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]


def in_places(departement_codes=(), region_codes=()):
    """Profiles with a sector overlapping one of these départements or régions (codes)."""
    return Q(
        pk__in=profiles_overlapping(
            departements=(
                Departement.objects.filter(code__in=departement_codes).values("pk")
                if departement_codes
                else None
            ),
            regions=(
                Region.objects.filter(code__in=region_codes).values("pk") if region_codes else None
            ),
        )
    )


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
    return queryset.annotate(distance_km=distance).filter(
        pk__in=union_of_profile_ids([by_point, around, departement, region])
    )


# A word as the full-text tokenizers cut text: letters and digits of any script.
WORD_RE = re.compile(r"[^\W_]+")
# The backends nest one SQL expression per word: a few hundred words exceed Python's
# recursion limit on PostgreSQL. The public field allows 100 characters (50 words).
MAX_SEARCH_WORDS = 50


def search_words(text):
    """The words of a typed search, joined by spaces; "" when it has none.

    The search backends hand each space-separated term to the database's full-text
    syntax, where quotes, parentheses, colons, ``*``, ``^`` and ``-`` are operators:
    modelsearch's SQLite backend quotes each term as an FTS5 string without doubling the
    ``"`` in it, so ``"`` or ``a"b:c`` is an FTS5 syntax error (or "no such column").
    Only the words go to the backend, then, which is also what a search is about: the
    tokenizers drop punctuation from the indexed text anyway, so ``"jardin partagé"``
    still finds the words jardin and partagé. Words past MAX_SEARCH_WORDS are left out.
    """
    return " ".join(WORD_RE.findall(text)[:MAX_SEARCH_WORDS])


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


# What a card of the map page shows (cards()), and the map's bounds.
CARD_FIELDS = [
    "id",
    "uid",
    "profile_kind",
    "public_name",
    "composition",
    "children",
    "setting",
    "tenure",
    "horizon",
    "presentation",
    "latitude",
    "longitude",
    "created_at",
    "last_confirmed_at",
]


def public_sectors(profile_ids):
    """{profile id: [its sectors]} read as rows in one query, without model instances.

    Each sector: ``kind``, ``label`` (as str(Sector)), ``commune`` (INSEE code) and
    ``radius_km`` for a commune, ``departement`` and ``region`` codes for those kinds: what
    cards and the API show, for up to 500 profiles a request.
    """
    rows = (
        Sector.objects.filter(profile_id__in=profile_ids)
        .order_by("sort_order")
        .values_list(
            "profile_id",
            "kind",
            "radius_km",
            "commune__insee_code",
            "commune__name",
            "departement__code",
            "departement__name",
            "region__code",
            "region__name",
        )
    )
    sectors = {}
    for profile_id, kind, radius_km, insee, commune, code, departement, region_code, region in rows:
        if kind == Sector.Kind.COMMUNE:
            label = Sector.commune_label(commune, radius_km) if insee else ""
        elif kind == Sector.Kind.DEPARTEMENT:
            label = Departement.format_label(departement, code) if code else ""
        else:
            label = region or ""
        sectors.setdefault(profile_id, []).append(
            {
                "kind": kind,
                "label": label,
                "commune": insee,
                "radius_km": radius_km if insee else None,
                "departement": code,
                "region": region_code,
            }
        )
    return sectors


def project_kind_labels(profile_ids):
    """{profile id: [its kinds of project, as str(ProfileOption)]}, read as rows in one query."""
    rows = (
        Profile.project_kinds.through.objects.filter(profile_id__in=profile_ids)
        .order_by(*(f"profileoption__{name}" for name in ProfileOption._meta.ordering))
        .values_list("profile_id", "profileoption__label", "profileoption__label_en")
    )
    labels = {}
    for profile_id, label, label_en in rows:
        labels.setdefault(profile_id, []).append(ProfileOption.display_label(label, label_en))
    return labels


def cards(profiles, back, show_distance=False):
    """What each card of the map page shows, as text, and its HTML (card_html()).

    Computed here once per card, from rows rather than model instances, the labels of the
    sectors and kinds of project read as rows too (two queries): as template tags, filters
    and related objects, the same work (some fifty variables and tags, and a dozen model
    instances per card) took a third of the page's time. ``profiles``: a page of the
    search, as dicts of CARD_FIELDS (and ``distance_km`` to show it); ``back``: the search
    the profile page links back to.
    """
    profiles = list(profiles)
    ids = [profile["id"] for profile in profiles]
    sectors = public_sectors(ids) if ids else {}
    kinds = project_kind_labels(ids) if ids else {}
    back_param = quote(back)  # As the urlencode filter.
    # As profile_page_path() and localtime() do for each, once for the page.
    before, middle, after = profile_path_parts(get_script_prefix(), get_urlconf())
    timezone = get_current_timezone()
    # Every text that recurs from card to card is translated once per page, not per card:
    # the translation machinery was a third of this function's time.
    headings = {
        "sectors": _("Wished sectors"),
        "distance": _("Distance"),
        "tenure": _("Tenure"),
        "setting": _("Setting"),
        "horizon": _("Horizon"),
        "projects": _("Kind of project"),
    }
    texts = {}  # Labels of choices, children counts, months: (kind, value) -> text.

    def display(profile, field):  # As get_<field>_display().
        key = (field, profile[field])
        if key not in texts:
            label = choice_labels(Profile._meta.get_field(field)).get(profile[field])
            texts[key] = profile[field] if label is None else str(label)
        return texts[key]

    result = []
    for profile in profiles:
        kind = f"{capfirst(display(profile, 'profile_kind'))} · {display(profile, 'composition')}"
        if profile["children"]:
            count = profile["children"]
            if ("children", count) not in texts:
                texts["children", count] = ngettext(
                    "%(counter)s child", "%(counter)s children", count
                ) % {"counter": count}
            kind += " · " + texts["children", count]
        labels = [sector["label"] for sector in sectors.get(profile["id"], ())]
        facts = [(headings["sectors"], ", ".join(labels))]
        if show_distance:
            km = floatformat(profile["distance_km"], 0)
            facts.append((headings["distance"], _("%(km)s km") % {"km": km}))
        for field in ("tenure", "setting", "horizon"):
            if profile[field]:
                facts.append((headings[field], display(profile, field)))
        if kinds.get(profile["id"]):
            facts.append((headings["projects"], ", ".join(kinds[profile["id"]])))
        confirmed = localtime(profile["last_confirmed_at"] or profile["created_at"], timezone)
        month = ("month", confirmed.year, confirmed.month)
        if month not in texts:
            texts[month] = _("Up to date in %(date)s") % {"date": date_format(confirmed, "F Y")}
        result.append(
            {
                "uid": profile["uid"],
                "url": f"{before}{profile['uid']}{middle}{profile_slug(profile['public_name'])}"
                f"{after}?back={back_param}",
                "name": profile["public_name"],
                "kind": kind,
                "facts": facts,
                "presentation": Truncator(profile["presentation"]).words(40, truncate=" …"),
                "date": texts[month],
            }
        )
        result[-1]["html"] = card_html(result[-1])
    return result


def card_html(card):
    """A card of the map page's list, as HTML: public fields only, never the email, the
    consents or a hidden contribution.

    Written in Python rather than with a template per card: some twenty variables a
    card, twenty cards a page, took as long as the rest of the page's template.
    """
    uid = escape(card["uid"])
    facts = "".join(
        f"\n    <div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>"
        for label, value in card["facts"]
    )
    presentation = (
        f'<p class="fv-card__presentation">{escape(card["presentation"])}</p>'
        if card["presentation"]
        else ""
    )
    return mark_safe(  # noqa: S308 (every value is escaped)
        f'<article class="fv-card" aria-labelledby="fv-card-{uid}">\n'
        f'  <h3 id="fv-card-{uid}" class="fv-card__name">'
        f'<a href="{escape(card["url"])}">{escape(card["name"])}</a></h3>\n'
        f'  <p class="fv-card__kind">{escape(card["kind"])}</p>\n'
        f'  <dl class="fv-card__facts">{facts}\n  </dl>\n'
        f"  {presentation}\n"
        f'  <p class="fv-card__date">{escape(card["date"])}</p>\n'
        "</article>"
    )


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
    return profile_page_path(profile.uid, profile.public_name)


# Stand-ins for reverse() (any valid uid and slug that occur nowhere else in the path).
PATH_UID = uuid.UUID(int=0)
PATH_SLUG = "fv-profile-slug"


@functools.lru_cache(maxsize=32)
def profile_path_parts(script_prefix, urlconf):
    """The profile page's path around its uid and slug, for this prefix and URLconf."""
    path = reverse(
        "profiles_module:profile_detail",
        kwargs={"uid": PATH_UID, "slug": PATH_SLUG},
        urlconf=urlconf,
    )
    before, _uid, rest = path.partition(str(PATH_UID))
    middle, _slug, after = rest.partition(PATH_SLUG)
    return before, middle, after


def profile_page_path(uid, name):
    """/…/fiches/<uid>/<slug>/: reverse() once, then text (a map or an API page holds up
    to a thousand profiles, and reverse() took as long as the rest of a result). Uids and
    slugs need no quoting, so the path is the one reverse() gives."""
    before, middle, after = profile_path_parts(get_script_prefix(), get_urlconf())
    return f"{before}{uid}{middle}{profile_slug(name)}{after}"


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
        # COUNT(*): the index on (live, latitude, longitude) then holds every column read.
        .annotate(count=Count("*"), lat=Avg("latitude"), lng=Avg("longitude"))
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
            "url": profile_page_path(uid, name),
        },
    }


# --- The map page --------------------------------------------------------------------------

# Shown above the fold; the other offered filters sit under "More criteria".
MAIN_FILTERS = ["commune", "km", "departement", "region", "kind", "tenure", "q"]


def search_context(request, page):
    """Template context of a MapPage: the filter form, the count, one page of cards, the map."""
    from .embed import territory_for
    from .filters import ProfileFilterSet
    from .views import tile_layer

    kinds = list(page.profile_kinds)
    filterset = ProfileFilterSet(
        request.GET,
        territory=territory_for(request, page.get_territory()),
        kinds=kinds or None,
        offered=page.offered_filters(),
    )
    queryset = filterset.qs
    # Rows, not model instances: building twenty profiles took as long as their query.
    fields = [
        *CARD_FIELDS,
        *(["distance_km"] if "distance_km" in queryset.query.annotations else []),
    ]
    paginator = Paginator(queryset.values(*fields), app_settings.SEARCH_PAGE_SIZE)
    page_number = request.GET.get("page")
    results = paginator.get_page(page_number)
    page_error = bool(page_number) and str(results.number) != page_number
    querystring = filterset.querystring()
    active = filterset.active_filters()
    bounds = None
    if active or (not page.location and not filterset.territory.everywhere):
        # The map opens on the listed profiles: no extra query over the whole result.
        points = [(p["latitude"], p["longitude"]) for p in results if p["latitude"] is not None]
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
    show_distance = filterset.chosen_commune is not None
    return {
        "filterset": filterset,
        "results": results,
        "cards": cards(results, request.get_full_path(), show_distance),
        "result_count": paginator.count,
        "page_error": page_error,
        "querystring": querystring,
        "back": request.get_full_path(),
        "active_filters": active,
        # The fields as HTML (ProfileSearchForm.field_html).
        "main_fields": [form.field_html(name) for name in main],
        "more_fields": [form.field_html(name) for name in more],
        "sort_field": form.field_html("sort"),
        "more_filters_active": any(name in more for name in active),
        "error_messages": error_messages,
        "show_distance": show_distance,
        "tiles": tile_layer(),
        "map_options": {
            "centre": [latitude, longitude],
            "zoom": page.zoom,
            "bounds": bounds,
            "endpoint": reverse("profiles_module:api_map") + "?" + map_query,
            "pointsMinZoom": POINTS_MIN_ZOOM,
        },
    }
