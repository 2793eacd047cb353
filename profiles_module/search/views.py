"""The map page's view: the filter form, one page of results and the map's options."""

from uuid import UUID

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import get_format

from profiles_module.common.leaflet import tile_layer
from profiles_module.conf import app_settings
from profiles_module.models import Profile, Project
from profiles_module.models.profiles import ProfileKind
from profiles_module.partners.embed import partner_of
from profiles_module.search.cards import CARD_FIELDS, cards
from profiles_module.search.facets import found_newest_first, search_counts
from profiles_module.search.filters import DEFAULT_KM, ProfileFilterSet
from profiles_module.search.map_areas import map_areas
from profiles_module.search.query import POINTS_MIN_ZOOM, remembered_cells, with_distance

# Shown above the fold; the other offered filters sit under "More criteria".
MAIN_FILTERS = ["commune", "km", "departement", "region", "kind", "tenure", "q"]
# Criteria of place: the map moves to their results. The others (a tenure, words) leave it
# where the visitor has it: the first page of results, drawn from all of France, says little
# of where the rest are, and one overseas fiche among them would show half the globe.
PLACE_FILTERS = {"commune", "departement", "region"}


def field_context(bound_field):
    """What profiles_module/map/field.html shows of a field, read once as plain values.

    Not the BoundField itself: the template engine tries ``field["name"]`` before
    ``field.name``, and a BoundField answers item lookups with its subwidgets, building
    one per option of the field (some 200 in all) on every search.
    """
    return {
        "name": bound_field.name,
        "label": bound_field.label,
        "label_suffix": bound_field.form.label_suffix,
        "id_for_label": bound_field.id_for_label,
        "auto_id": bound_field.auto_id,
        "help_text": bound_field.help_text,
        "errors": bound_field.errors,
        "use_fieldset": bound_field.use_fieldset,
        "widget": str(bound_field),
    }


def page_filterset(data, page, partner=None, preview=False):
    """The filter set of a MapPage for the criteria `data` (a QueryDict): the page's
    territory and kinds, and the partner's territory on its embedded pages or site.
    Saved searches (alerts) go through here too, so they find what the map finds."""
    territory = page.get_territory() if preview else page.live_territory()
    if partner is not None:
        territory = territory & partner.get_territory()
    return ProfileFilterSet(
        data,
        territory=territory,
        kinds=list(page.profile_kinds) or None,
        offered=page.offered_filters(),
    )


def search_context(request, page):
    """Template context of a MapPage: the filter form, the count, one page of cards, the map."""

    kinds = list(page.profile_kinds)
    preview = getattr(request, "is_preview", False)
    filterset = page_filterset(request.GET, page, partner_of(request), preview)
    commune = filterset.chosen_commune
    # Rows, not model instances: building twenty profiles took as long as their query.
    # A chosen commune's filter is the one that annotates the distance.
    fields = [*CARD_FIELDS, *(["distance_km"] if commune is not None else [])]
    found = found_newest_first(
        filterset, with_distance(Profile.objects.public(), commune).values(*fields)
    )
    # The filters' own queryset only for the orders SQL keeps: building it (a union of
    # subqueries per place) was a sixth of a page that the sets answer.
    paginator = Paginator(
        filterset.qs.values(*fields) if found is None else found, app_settings.SEARCH_PAGE_SIZE
    )
    result_count, counts = search_counts(filterset)
    paginator.count = result_count  # A cached property: not counted again.
    page_number = request.GET.get("page")
    results = paginator.get_page(page_number)
    page_error = bool(page_number) and str(results.number) != page_number
    querystring = filterset.querystring()
    active = filterset.active_filters()
    bounds = None
    # The whole territory, then each overseas part, so that every part can be reached.
    areas = map_areas(filterset.territory)
    follows_results = not PLACE_FILTERS.isdisjoint(active)
    if follows_results:
        # The map opens on the listed profiles: no extra query over the whole result.
        points = [(p["latitude"], p["longitude"]) for p in results if p["latitude"] is not None]
        if points:
            lats, lngs = [p[0] for p in points], [p[1] for p in points]
            bounds = [[min(lats), min(lngs)], [max(lats), max(lngs)]]
    if bounds is None and not page.location and areas:
        bounds = areas[0][1]
    form = filterset.form
    for name, by_choice in counts.items():
        form.fields[name].widget.counts = by_choice
    main = [name for name in MAIN_FILTERS if name in form.fields]
    more = [name for name in form.fields if name not in main and name != "sort"]
    error_messages = [
        (form.fields[name].label if name in form.fields else "", message)
        for name, messages in filterset.errors.items()
        for message in messages
    ]
    latitude, longitude = page.centre
    # The map's data does not depend on the order of the list: the same address whatever
    # the sort, as search-map.js builds it for new criteria, so that it is asked for once.
    map_criteria = filterset.criteria_querystring()
    map_query = f"page_id={page.pk}" + (f"&{map_criteria}" if map_criteria else "")
    show_distance = commune is not None
    # The searched circle, drawn on the map around the chosen commune.
    radius = (
        {
            "centre": [commune.latitude, commune.longitude],
            "km": int(form.cleaned_data.get("km") or DEFAULT_KM),
        }
        if commune is not None and commune.latitude is not None
        else None
    )
    return {
        "filterset": filterset,
        "results": results,
        "cards": cards(results, request.get_full_path(), show_distance),
        "result_count": paginator.count,
        "page_error": page_error,
        "querystring": querystring,
        "back": request.get_full_path(),
        "active_filters": active,
        # Each field as profiles_module/map/field.html shows it (field_context).
        "main_fields": [field_context(form[name]) for name in main],
        "more_fields": [field_context(form[name]) for name in more],
        "sort_field": field_context(form["sort"]),
        "more_filters_active": any(name in more for name in active),
        "error_messages": error_messages,
        "show_distance": show_distance,
        "tiles": tile_layer(),
        # The projects of the national database as a layer to tick, when there are any.
        "projects_layer": Project.objects.any_shown(),
        # The map's legend: each kind of profile the page shows, with its marker's shape.
        "marker_kinds": [
            (value, label) for value, label in ProfileKind.choices if not kinds or value in kinds
        ],
        # Buttons to jump to each far-apart part of the territory (none when only one).
        "map_areas": [
            {"label": label, "bounds": ",".join(str(v) for corner in b for v in corner)}
            for label, b in areas
        ]
        if len(areas) > 1
        else [],
        "map_options": {
            "centre": [latitude, longitude],
            "zoom": page.zoom,
            "bounds": bounds,
            # Whether the bounds are the results' (a search by place), which a live search's
            # map moves to; otherwise they are where the page opens, and the map stays put.
            "followsResults": follows_results,
            "endpoint": reverse("profiles_module:api_map") + "?" + map_query,
            # Each marker's preview: this URL with the fiche's uid in place of the zeros.
            "cardEndpoint": reverse("profiles_module:api_profile_card", args=[UUID(int=0)]),
            "pointsMinZoom": POINTS_MIN_ZOOM,
            "radius": radius,
            # The count squares group thousands as the page's count does.
            "thousands": get_format("THOUSAND_SEPARATOR"),
            # The whole territory's count squares, where already counted, for the page most
            # visitors open first: the one without criteria (a page with criteria opens on
            # its results, and a live search's map asks for its own data).
            "cells": remembered_cells(filterset.search_key()) if not active else {},
        },
    }
