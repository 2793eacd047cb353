"""Read-only public API: /api/v1/profiles/ (JSON), /api/v1/profiles.geojson, and the map data.

Same filters and territory limits as the map page (``ProfileFilterSet``), public fields
only. An invalid filter value answers 400 with ``{"errors": {name: [messages]}}``: a
program asked for something precise, silently ignoring part of it would mislead it
(the map page, for people, shows the message and ignores the value instead).
"""

import hashlib
import json
from functools import cache, wraps

from django.core.handlers.exception import response_for_exception
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Value
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _

from profiles_module.common.page_links import remembered
from profiles_module.common.replica import replica_reads
from profiles_module.common.validators import whole_number
from profiles_module.conf import app_settings
from profiles_module.models import MapPage, Profile, ProfileOption
from profiles_module.models.profiles import PUBLIC_FIELDS, choice_labels
from profiles_module.partners.embed import territory_for
from profiles_module.search.cards import CARD_FIELDS, cards, public_sectors
from profiles_module.search.facets import found_newest_first, search_counts
from profiles_module.search.filters import ProfileFilterSet
from profiles_module.search.query import map_features, parse_bbox, public_point

# Parameters that are not filters.
API_PARAMS = {"page", "page_size", "page_id", "bbox", "zoom"}


class BadRequest(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def get_map_page(request):
    """The MapPage named by ?page_id= (its territory and kinds limit the answer), or None."""
    value = request.GET.get("page_id")
    if not value:
        return None
    page_id = whole_number(value)
    # Named by every request of a map page's markers: from the shared cache.
    page = (
        remembered(("map page", page_id), MapPage.objects.live().filter(pk=page_id).first)
        if page_id
        else None
    )
    if page is None:
        raise BadRequest({"page_id": [_("No published map page has this id.")]})
    return page


def searched(request):
    """The search the request asks for: its criteria, on its map page's territory."""
    page = get_map_page(request)
    filterset = ProfileFilterSet(
        request.GET,
        territory=territory_for(request, page.live_territory() if page else None),
        kinds=list(page.profile_kinds) or None if page else None,
    )
    if not filterset.is_valid():
        raise BadRequest(
            {
                name: [error["message"] for error in errors]
                for name, errors in filterset.errors.get_json_data().items()
            }
        )
    return filterset


def positive_int(request, name, default, maximum):
    value = request.GET.get(name)
    if value is None or value == "":
        return default
    number = whole_number(value, maximum)
    if number is None or number < 1:
        raise BadRequest({name: [_("Give a whole number from 1 to %(max)d.") % {"max": maximum}]})
    return number


def paginate(request, filterset):
    """One page of the search's fiches, with their relations, and its links."""
    size = positive_int(
        request, "page_size", app_settings.API_PAGE_SIZE, app_settings.API_MAX_PAGE_SIZE
    )
    found = found_newest_first(filterset, with_api_relations(Profile.objects.public()))
    paginator = Paginator(with_api_relations(filterset.qs) if found is None else found, size)
    paginator.count = search_counts(filterset)[0]  # A cached property: not counted again.
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise BadRequest({"page": [_("This page does not exist.")]}) from None

    def link(number):
        params = request.GET.copy()
        params["page"] = number
        return request.build_absolute_uri("?" + params.urlencode())

    return page, {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


def json_error_response(request, error):
    """Django's own answer to an exception raised in an API view (Http404, PermissionDenied,
    any other as a 500: logged with its traceback, mailed to ADMINS, got_request_exception
    sent), with a JSON body instead of the site's HTML error page.

    The response object is Django's own, so it is not logged a second time."""
    response = response_for_exception(request, error)
    response.content = json.dumps({"error": response.reason_phrase})
    response["Content-Type"] = "application/json"
    return response


def public_api(view):
    """GET only (405 otherwise), readable from other sites, errors in JSON (400 on bad input), and
    cacheable when successful.

    The ETag is a hash of the body: always right whatever changed (a profile, its
    options, a map page's territory) and free of extra queries; a matching
    If-None-Match gets a 304 without the body.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            # Like require_GET, in JSON and readable from other sites like every answer.
            response = JsonResponse({"error": "Method Not Allowed"}, status=405)
            response["Allow"] = "GET, HEAD"
        else:
            try:
                # Published fiches only: a read replica may answer.
                with replica_reads():
                    response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = JsonResponse({"errors": error.errors}, status=400)
            except Exception as error:
                response = json_error_response(request, error)
        response["Access-Control-Allow-Origin"] = "*"
        response["Vary"] = "Accept-Language, Cookie"
        if response.status_code != 200:
            # An error is about this one request or a passing fault: a proxy or browser
            # that kept it would serve it again after the cause is gone.
            response["Cache-Control"] = "no-store"
            return response
        response["Cache-Control"] = "public, max-age=60"
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response["ETag"] = quote_etag(digest)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper


@cache
def labels_of(name):
    """{code: label} of a Profile field's choices (get_<name>_display() for many profiles)."""
    return choice_labels(Profile._meta.get_field(name))


def choice(profile, name):
    code = getattr(profile, name)
    if not code:
        return None
    return {"code": code, "label": str(labels_of(name).get(code, code))}


def with_api_relations(queryset):
    """The public columns and the commune of the place; sectors and option lists are read
    as rows by public_sectors() and option_slugs()."""
    return queryset.only(*PUBLIC_FIELDS, "place_commune__insee_code").select_related(
        "place_commune"
    )


OPTION_LISTS = ("project_kinds", "steps", "values")


def related_rows(profiles):
    """(public_sectors(), option_slugs()) of a page of profiles: two queries of rows."""
    ids = [profile.pk for profile in profiles]
    return (public_sectors(ids), option_slugs(ids)) if ids else ({}, {})


def option_slugs(ids):
    """{(list, profile id): [slugs]} for the option lists of these profiles, in one query.

    Rows rather than model instances (a page holds up to 500 profiles), in the order of
    ProfileOption.Meta.ordering, as the relations list them.
    """
    ordering = [f"profileoption__{name}" for name in ProfileOption._meta.ordering]
    first, *others = (
        getattr(Profile, name)
        .through.objects.filter(profile_id__in=ids)
        .annotate(relation=Value(name))
        .values_list("relation", "profile_id", "profileoption__slug", *ordering)
        .order_by()
        for name in OPTION_LISTS
    )
    rows = first.union(*others, all=True).order_by("relation", "profile_id", *ordering)
    slugs = {}
    for relation, profile_id, slug, *_order in rows:
        slugs.setdefault((relation, profile_id), []).append(slug)
    return slugs


def profile_data(request, profile, related):
    """Every public field of a profile; the contribution only when its owner shows it.

    ``related``: related_rows() of the page of profiles.
    """
    sectors, options = related
    shows_financing = profile.financing_public
    return {
        "uid": str(profile.uid),
        "url": request.build_absolute_uri(profile.get_absolute_url()),
        "public_name": profile.public_name,
        "profile_kind": choice(profile, "profile_kind"),
        "composition": choice(profile, "composition"),
        "adults": profile.adults,
        "children": profile.children,
        "age_bands": list(profile.age_bands),
        "sectors": sectors.get(profile.pk, []),
        "setting": choice(profile, "setting"),
        "tenure": choice(profile, "tenure"),
        "project_kinds": options.get(("project_kinds", profile.pk), []),
        "financing_band": choice(profile, "financing_band") if shows_financing else None,
        "social_housing_eligible": profile.social_housing_eligible if shows_financing else None,
        "horizon": choice(profile, "horizon"),
        "role": choice(profile, "role"),
        "steps": options.get(("steps", profile.pk), []),
        "place_identified": profile.place_identified,
        "place_commune": (
            profile.place_commune.insee_code
            if profile.place_identified and profile.place_commune_id
            else None
        ),
        "values": options.get(("values", profile.pk), []),
        "values_other": profile.values_other,
        "presentation": profile.presentation,
        "photo": request.build_absolute_uri(profile.photo.url) if profile.photo else None,
        "national_project_url": profile.national_project_url or None,
        "created_at": profile.created_at.isoformat(),
        "last_confirmed_at": (profile.last_confirmed_at or profile.created_at).isoformat(),
    }


@public_api
def profiles_json(request):
    """/api/v1/profiles/?<filters>&page=&page_size=&page_id="""
    page, meta = paginate(request, searched(request))
    related = related_rows(page)
    return JsonResponse(
        {**meta, "results": [profile_data(request, profile, related) for profile in page]},
        json_dumps_params={"ensure_ascii": False},
    )


@public_api
def profiles_geojson(request):
    """/api/v1/profiles.geojson: the same profiles as a GeoJSON FeatureCollection."""
    page, meta = paginate(request, searched(request))
    related = related_rows(page)
    features = []
    for profile in page:
        point = public_point(profile.uid, profile.latitude, profile.longitude)
        features.append(
            {
                "type": "Feature",
                "id": str(profile.uid),
                "geometry": {"type": "Point", "coordinates": [point[1], point[0]]}
                if point
                else None,
                "properties": profile_data(request, profile, related),
            }
        )
    response = JsonResponse(
        {"type": "FeatureCollection", **meta, "features": features},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/geo+json"
    return response


@public_api
def profiles_map(request):
    """What the map shows for ?bbox=west,south,east,north&zoom=z: points or counts per cell."""
    zoom = positive_int(request, "zoom", 6, 20)
    bbox = None
    if request.GET.get("bbox"):
        bbox = parse_bbox(request.GET["bbox"])
        if bbox is None:
            raise BadRequest({"bbox": [_("Give west,south,east,north in degrees.")]})
    search = searched(request)
    mode, features = map_features(
        search.qs, bbox, zoom, search.search_key(), brought_by_pages=not search.active_filters()
    )
    return JsonResponse(
        {"type": "FeatureCollection", "mode": mode, "features": features},
        json_dumps_params={"ensure_ascii": False},
    )


@public_api
def profile_card(request, uid):
    """The result card of one published fiche, as the list shows it: the preview a map's
    marker opens. ``?back=`` is the search its link leads back to (a path of this site)."""
    back = request.GET.get("back", "")
    if not back.startswith("/") or back.startswith("//"):
        back = ""
    found = cards(Profile.objects.public().filter(uid=uid).values(*CARD_FIELDS), back[:2000])
    if not found:
        raise Http404
    return HttpResponse(found[0]["html"])
