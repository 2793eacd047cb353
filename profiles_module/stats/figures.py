"""The figures of a territory: published fiches per département and per kind, and new
fiches per month, each counted by the database in one GROUP BY (or one correlated
count) so that the number of queries does not grow with the fiches or the places.
Kept in the shared cache like the count block's figures (counts.py)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time

from django.core.cache import cache
from django.db.models import Count, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from profiles_module.contact.stats import first_of_month, months_between
from profiles_module.models import Profile, Sector
from profiles_module.stats.counts import CACHE_SECONDS

MONTHS = 12


class CountDistinct(Func):
    """COUNT(DISTINCT …) without a GROUP BY, for a correlated subquery: Django's Count
    would group the subquery by its own columns."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


@dataclass(frozen=True)
class TerritoryFigures:
    """Raw counts; the public page masks the small ones (see charts.py), editors see all."""

    total: int
    # (code, name, count) for every département of the territory, by code.
    departements: tuple
    # (profile_kind value, count), for the kinds with at least one fiche.
    kinds: tuple
    # (first day of the month, count) for the last MONTHS months, oldest first.
    months: tuple


def month_bounds(now=None, months=MONTHS):
    """(first month, first day after the last month) as aware datetimes, and the months."""
    today = timezone.localdate(now or timezone.now())
    first = first_of_month(today, months - 1)
    after = first_of_month(today, -1)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(after, time.min, tzinfo=zone),
        list(months_between(first, today)),
    )


def as_date(month):
    """TruncMonth gives a datetime in the current time zone (a date on some backends)."""
    if isinstance(month, datetime):
        return (timezone.localtime(month) if timezone.is_aware(month) else month).date()
    return month


def count_per_departement(territory):
    """Published fiches overlapping each département of the territory, in one query: a
    fiche counts in every département one of its sectors touches (a commune or the
    département itself, or the région that holds it), as in the count block."""
    public = Profile.objects.public().values("pk")
    overlapping = (
        Sector.objects.filter(profile__in=public)
        .filter(Q(territory_departement=OuterRef("pk")) | Q(region=OuterRef("region_id")))
        .order_by()
        .annotate(fiches=CountDistinct("profile_id"))
        .values("fiches")
    )
    rows = (
        territory.departements_queryset()
        .annotate(fiches=Subquery(overlapping, output_field=IntegerField()))
        .order_by("code")
        .values_list("code", "name", "fiches")
    )
    return tuple((code, name, fiches or 0) for code, name, fiches in rows)


def count_per_kind(territory):
    rows = (
        territory.apply(Profile.objects.public())
        .order_by()
        .values("profile_kind")
        .annotate(fiches=Count("pk"))
        .values_list("profile_kind", "fiches")
    )
    return tuple(sorted(rows))


def published_per_month(territory, now=None):
    """Fiches of the territory first published in each of the last MONTHS months, hidden
    or paused since or not: the growth of the network, not what is online today."""
    start, end, months = month_bounds(now)
    rows = (
        territory.apply(Profile.objects.all())
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .annotate(month=TruncMonth("first_published_at"))
        .order_by()
        .values("month")
        .annotate(fiches=Count("pk"))
        .values_list("month", "fiches")
    )
    found = dict.fromkeys(months, 0)
    for month, fiches in rows:
        found[as_date(month)] = found.get(as_date(month), 0) + fiches
    return tuple(found.items())


def territory_figures(territory, now=None):
    """The figures of a Territory (all of France when it is everywhere), from the shared
    cache for ten minutes: three queries when they are not there."""
    today = timezone.localdate(now or timezone.now())
    signature = f"{sorted(territory.region_ids)}|{sorted(territory.departement_ids)}|{today:%Y-%m}"
    key = "profiles_module:figures:" + hashlib.sha256(signature.encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        kinds = count_per_kind(territory)
        figures = TerritoryFigures(
            # Every fiche has exactly one kind: their sum is the total, without a query.
            total=sum(fiches for _kind, fiches in kinds),
            departements=count_per_departement(territory),
            kinds=kinds,
            months=published_per_month(territory, now),
        )
        cache.set(key, figures, CACHE_SECONDS)
    return figures
