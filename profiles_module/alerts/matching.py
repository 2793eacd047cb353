"""What an alert finds: the map page's own filter set over its saved query string, so
that an alert lists exactly what the map shows for the same criteria."""

from typing import NamedTuple

from django.http import QueryDict
from django.utils.translation import gettext as _

from profiles_module.models import MapPage, ProfileOption, Sector
from profiles_module.models.profiles import Setting, Tenure
from profiles_module.search.filters import KM_CHOICES
from profiles_module.search.views import page_filterset


def clean_query(query, page, partner=None):
    """The query string of the valid criteria of `query` on `page`, as the map's links
    write them (a commune as its INSEE code), without pagination or order."""
    filterset = page_filterset(QueryDict(query), page, partner)
    cleaned = QueryDict(filterset.criteria_querystring(), mutable=True)
    # The radius the live search always sends means nothing without a commune: the same
    # search saved twice is then one alert.
    if "commune" not in cleaned:
        cleaned.pop("km", None)
    return cleaned.urlencode()


def matching_fiches(alert):
    """The public fiches the alert's map page finds for its criteria (one SQL query),
    but the owner's own fiche."""
    fiches = page_filterset(QueryDict(alert.query), alert.page, alert.partner).qs
    return fiches.exclude(pk=alert.profile_id) if alert.profile_id else fiches


def new_fiches(alert, since, until):
    """The matching fiches first published after `since`, up to `until`, oldest first."""
    return (
        matching_fiches(alert)
        .filter(first_published_at__gt=since, first_published_at__lte=until)
        .order_by("first_published_at", "pk")
    )


class OwnerCriterion(NamedTuple):
    """One criterion of a fiche its owner can put in their alert."""

    name: str  # its value in the owner's form
    label: str  # what the owner reads
    params: dict  # the map search's parameters: name -> list of values


def owner_criteria(profile):
    """The criteria of a fiche, in the map search's terms, that its owner can turn into
    an alert: where (its first sector's commune and radius, or all its départements, or
    all its régions), its kinds of project, its tenure and its setting. Each also accepts
    "no preference": a fiche without preference suits it too."""
    criteria = []
    sectors = list(profile.sectors.select_related("commune", "departement", "region"))
    first = sectors[0] if sectors else None
    if first is not None and first.kind == Sector.Kind.COMMUNE and first.commune is not None:
        # The search's radii are fixed steps: the first one that covers the sector's.
        radii = [km for km, _label in KM_CHOICES if km >= (first.radius_km or 0)]
        km = radii[0] if radii else KM_CHOICES[-1][0]
        sector = Sector.commune_label(first.commune.name, km)
        criteria.append(
            OwnerCriterion(
                "place",
                _("Sectors: %(sectors)s") % {"sectors": sector},
                {"commune": [first.commune.insee_code], "km": [str(km)]},
            )
        )
    elif first is not None and first.kind in (Sector.Kind.DEPARTEMENT, Sector.Kind.REGION):
        field = "departement" if first.kind == Sector.Kind.DEPARTEMENT else "region"
        places = [getattr(s, field) for s in sectors if getattr(s, field) is not None]
        criteria.append(
            OwnerCriterion(
                "place",
                _("Sectors: %(sectors)s") % {"sectors": ", ".join(map(str, places))},
                {field: [place.code for place in places]},
            )
        )
    kinds = list(profile.project_kinds.order_by("sort_order", "pk"))
    if kinds and all(kind.slug != ProfileOption.NO_PREFERENCE for kind in kinds):
        slugs = [kind.slug for kind in kinds]
        label = _("Kinds of project: %(kinds)s") % {"kinds": ", ".join(map(str, kinds))}
        no_preference = ProfileOption.objects.filter(
            category=ProfileOption.Category.PROJECT_KIND, slug=ProfileOption.NO_PREFERENCE
        ).first()
        if no_preference is not None:
            slugs.append(no_preference.slug)
            label = _("%(criterion)s, or %(no_preference)s") % {
                "criterion": label,
                "no_preference": no_preference,
            }
        criteria.append(OwnerCriterion("project", label, {"project": slugs}))
    for name, choices, template in (
        ("tenure", Tenure, _("Tenure: %(choice)s, or no preference")),
        ("setting", Setting, _("Setting: %(choice)s, or no preference")),
    ):
        value = getattr(profile, name)
        if value and value != choices.ANY:
            criteria.append(
                OwnerCriterion(
                    name,
                    template % {"choice": choices(value).label},
                    {name: [value, choices.ANY]},
                )
            )
    return criteria


def owner_query(criteria, chosen):
    """The query string of the `chosen` criteria (their names) among `criteria`."""
    params = QueryDict(mutable=True)
    for criterion in criteria:
        if criterion.name in chosen:
            for name, values in criterion.params.items():
                params.setlist(name, values)
    return params.urlencode()


def criteria_in(query, criteria):
    """The names of the `criteria` an alert's query string holds."""
    names = set(QueryDict(query))
    return [c.name for c in criteria if names & set(c.params)]


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
