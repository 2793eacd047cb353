"""How many fiches each choice of the search form would find, shown next to it
("coopérative d'habitants (412)").

A choice's count is taken over the fiches that match every other criterion of the
search, not the criterion it belongs to: ticking a second tenure adds its count to the
results, so the choices of a criterion stay useful once one is ticked. One query per
criterion, whatever the number of fiches or of choices, kept a minute in the shared
cache (the national page without criteria, most visitors' first page, is counted once a
minute rather than on every visit).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Q

from profiles_module.models import Profile

# Criteria that are a column of the fiche: counted by grouping on it.
COLUMNS = {
    "kind": "profile_kind",
    "composition": "composition",
    "setting": "setting",
    "tenure": "tenure",
    "horizon": "horizon",
    "role": "role",
}


CACHE_SECONDS = 60


def facet_counts(filterset):
    """{criterion: {choice value: count}} for the checkbox criteria the search offers."""
    search = (
        filterset.territory,
        filterset.kinds,
        sorted(filterset.filters),
        filterset.querystring(),
    )
    key = "profiles_module:facets:" + hashlib.sha256(repr(search).encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = count_choices(filterset)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def count_choices(filterset):
    cleaned = getattr(filterset.form, "cleaned_data", {})
    criteria = [(name, value) for name, value in cleaned.items() if name in filterset.filters]
    # The other criteria (place, words, dates…) are built once for every count: the
    # distance subqueries of a commune cost more to build than to run.
    common = filterset.queryset.all()
    for name, value in criteria:
        if name not in COUNTERS:
            common = filterset.filters[name].filter(common, value)
    counts = {}
    for counted in filterset.filters:
        counter = COUNTERS.get(counted)
        if counter is None:
            continue
        matching = common
        for name, value in criteria:
            if name in COUNTERS and name != counted:
                matching = filterset.filters[name].filter(matching, value)
        found = counter(filterset, counted, matching.order_by())
        counts[counted] = {str(value): number for value, number in found.items()}
    return counts


def by_column(filterset, name, queryset):
    column = COLUMNS[name]
    return dict(
        queryset.values_list(column).annotate(number=Count("pk")).values_list(column, "number")
    )


def by_age_band(filterset, name, queryset):
    # A fiche lists several bands in one column: one conditional count per band, in one
    # query, with the filter's own condition (filter_age).
    codes = [str(value) for value, _label in filterset.filters[name].extra["choices"]]
    found = queryset.aggregate(
        **{
            f"band_{i}": Count("pk", filter=Q(age_bands__contains=code))
            for i, code in enumerate(codes)
        }
    )
    return {code: found[f"band_{i}"] for i, code in enumerate(codes)}


def by_financing(filterset, name, queryset):
    # Only the fiches that show their contribution, as the filter itself (a count over
    # hidden values would reveal them).
    return dict(
        queryset.filter(financing_public=True)
        .values_list("financing_band")
        .annotate(number=Count("pk"))
        .values_list("financing_band", "number")
    )


def by_option(filterset, name, queryset):
    relation, category = filterset.OPTION_FILTERS[name]
    through = getattr(Profile, relation).through
    return dict(
        through.objects.filter(
            profile_id__in=queryset.values("pk"), profileoption__category=category
        )
        .values_list("profileoption__slug")
        .annotate(number=Count("profile_id"))
        .values_list("profileoption__slug", "number")
    )


COUNTERS = {
    **dict.fromkeys(COLUMNS, by_column),
    "age": by_age_band,
    "financing": by_financing,
    "project": by_option,
    "step": by_option,
    "value": by_option,
}
