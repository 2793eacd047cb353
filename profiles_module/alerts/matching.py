"""What an alert finds: the map page's own filter set over its saved query string, so
that an alert lists exactly what the map shows for the same criteria."""

from django.http import QueryDict

from profiles_module.models import MapPage, Sector
from profiles_module.search.filters import KM_CHOICES
from profiles_module.search.views import page_filterset

# Not criteria: the page of results and the order.
NOT_CRITERIA = ("page", "sort")


def clean_query(query, page, partner=None):
    """The query string of the valid criteria of `query` on `page`, as the map's links
    write them (a commune as its INSEE code), without pagination or order."""
    filterset = page_filterset(QueryDict(query), page, partner)
    cleaned = QueryDict(filterset.querystring(exclude=NOT_CRITERIA), mutable=True)
    # The radius the live search always sends means nothing without a commune: the same
    # search saved twice is then one alert.
    if "commune" not in cleaned:
        cleaned.pop("km", None)
    return cleaned.urlencode()


def matching_fiches(alert):
    """The public fiches the alert's map page finds for its criteria (one SQL query)."""
    return page_filterset(QueryDict(alert.query), alert.page, alert.partner).qs


def new_fiches(alert, since, until):
    """The matching fiches first published after `since`, up to `until`, oldest first."""
    return (
        matching_fiches(alert)
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .order_by("first_published_at", "pk")
    )


def fiche_criteria(profile):
    """The query string of a fiche's wished place, for its owner's alert: its first
    sector's commune and radius, or all its départements, or all its régions."""
    sectors = list(profile.sectors.select_related("commune", "departement", "region"))
    params = QueryDict(mutable=True)
    if not sectors:
        return ""
    first = sectors[0]
    if first.kind == Sector.Kind.COMMUNE and first.commune is not None:
        params["commune"] = first.commune.insee_code
        radii = [km for km, _label in KM_CHOICES if km >= (first.radius_km or 0)]
        params["km"] = str(radii[0] if radii else KM_CHOICES[-1][0])
    elif first.kind == Sector.Kind.DEPARTEMENT:
        params.setlist(
            "departement", [s.departement.code for s in sectors if s.departement is not None]
        )
    elif first.kind == Sector.Kind.REGION:
        params.setlist("region", [s.region.code for s in sectors if s.region is not None])
    return params.urlencode()


def owner_map_page(profile):
    """The map page an owner's alert searches: the first live one of all France listing
    every kind of fiche (the fiche's place narrows it), in the owner's language if any."""
    pages = (
        MapPage.objects.live()
        .filter(regions__isnull=True, departements__isnull=True)
        .select_related("locale")
        .order_by("path")
    ) or MapPage.objects.live().select_related("locale").order_by("path")
    everything = [page for page in pages if not page.profile_kinds]
    candidates = everything or list(pages)
    for page in candidates:
        if page.locale.language_code == (profile.language or "fr"):
            return page
    return candidates[0] if candidates else None


def owner_alerts_data(profile):
    """The owner's alerts, for their data download."""
    return [
        {
            "criteria": alert.query,
            "frequency": alert.frequency,
            "created_at": alert.created_at,
            "last_digest_at": alert.last_sent_at,
        }
        for alert in profile.search_alerts.order_by("created_at", "pk")
    ]
