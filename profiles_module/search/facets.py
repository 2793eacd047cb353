"""How many fiches each choice of the search form would find, shown next to it
("coopérative d'habitants (412)", "Loire (38)").

A choice's count is taken over the fiches that match every other criterion of the
search, not the criterion it belongs to: ticking a second tenure adds its count to the
results, so the choices of a criterion stay useful once one is ticked.

A fixed number of queries whatever the number of fiches or of choices: one pass of
conditional counts for the criteria on the fiche's own row that the search does not use
(their counts are over its own results), one per criterion it uses, one per list of
options or of places. Kept a minute in the shared cache, until a fiche changes (the
national page without criteria, most visitors' first page, is counted once a minute
rather than on every visit).
"""

from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Count, F, Q
from django.utils import timezone

from profiles_module.models import Profile, ProfileOption, Sector

# Criteria that are a column of the fiche.
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
    key = "profiles_module:facets:" + filterset.search_key()
    counts = cache.get(key)
    if counts is None:
        counts = count_choices(filterset)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def count_choices(filterset):
    cleaned = getattr(filterset.form, "cleaned_data", {})
    criteria = [(name, value) for name, value in cleaned.items() if name in filterset.filters]
    counted = [name for name in filterset.filters if name in COUNTED]
    used = {name for name, value in criteria if name in COUNTED and value not in (None, "", [])}
    # The other criteria (place, words, dates…) are built once for every count: the
    # distance subqueries of a commune cost more to build than to run.
    common = filterset.queryset.all()
    for name, value in criteria:
        if name not in COUNTED:
            common = filterset.filters[name].filter(common, value)

    def matching_all_but(excluded):
        queryset = common
        for name, value in criteria:
            if name in COUNTED and name != excluded:
                queryset = filterset.filters[name].filter(queryset, value)
        return queryset.order_by()

    # A criterion the search does not use is counted over the search's own results:
    # all of those that are a condition on the fiche's row are counted in one pass.
    in_one_pass = [name for name in counted if name in CONDITIONS and name not in used]
    counts = count_conditions(filterset, in_one_pass, matching_all_but(None))
    for name in counted:
        if name in counts:
            continue
        matching = matching_all_but(name if name in used else None)
        if name in CONDITIONS:
            counts.update(count_conditions(filterset, [name], matching))
        elif name in PLACES:
            counts[name] = PLACES[name](matching)
        else:
            counts[name] = count_options(filterset, name, matching)
    return counts


def choices(filterset, name):
    return [str(value) for value, _label in filterset.filters[name].extra["choices"]]


def count_conditions(filterset, names, queryset):
    """{criterion: {choice: count}} of criteria that are conditions on the fiche's own
    row, in one query: a conditional count per choice (the filter's own condition)."""
    wanted = [(name, choice) for name in names for choice in choices(filterset, name)]
    if not wanted:
        return {}
    found = queryset.aggregate(
        **{
            f"count_{i}": Count("pk", filter=CONDITIONS[name](choice))
            for i, (name, choice) in enumerate(wanted)
        }
    )
    counts = {name: {} for name in names}
    for i, (name, choice) in enumerate(wanted):
        counts[name][choice] = found[f"count_{i}"]
    return counts


def count_options(filterset, name, queryset):
    """{option: count} of a criterion on a list of options (kinds of project, steps,
    values), grouped in their link table by option id: the link table of a relation only
    holds options of its category, and joining the options to group by their slug made
    the database hash every link (a third of a second at 100,000 fiches)."""
    relation, category = filterset.OPTION_FILTERS[name]
    through = getattr(Profile, relation).through
    by_id = dict(
        through.objects.filter(profile_id__in=queryset.values("pk"))
        .values("profileoption_id")
        .annotate(number=Count("profile_id"))
        .values_list("profileoption_id", "number")
    )
    slugs = ProfileOption.objects.filter(category=category, pk__in=by_id).values_list("pk", "slug")
    return {slug: by_id[pk] for pk, slug in slugs}


def count_departements(queryset):
    """{département code: count}, a fiche counted once in each département one of its
    sectors overlaps, as the département filter finds it (territory.profiles_overlapping):
    a sector lying in the département, or the région sector containing it. The pairs
    (fiche, département) of both cases are counted together, so that a fiche with both
    kinds of sector counts once."""
    profiles = queryset.values("pk")
    lying_in = Sector.objects.filter(
        profile__in=profiles, territory_departement__isnull=False
    ).values("profile_id", code=F("territory_departement__code"))
    containing = Sector.objects.filter(profile__in=profiles, region__isnull=False).values(
        "profile_id", code=F("region__departements__code")
    )
    pairs = lying_in.order_by().union(containing.order_by(), all=True).order_by()
    sql, params = pairs.query.sql_with_params()
    with connections[router.db_for_read(Sector)].cursor() as cursor:
        cursor.execute(
            # The subquery is Django's own SQL, its values passed as parameters.
            f"SELECT code, COUNT(DISTINCT profile_id) FROM ({sql}) pairs GROUP BY code",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


def count_regions(queryset):
    """{région code: count}: every sector knows the région it lies in."""
    return dict(
        Sector.objects.filter(profile__in=queryset.values("pk"), territory_region__isnull=False)
        .values("territory_region__code")
        .annotate(number=Count("profile_id", distinct=True))
        .values_list("territory_region__code", "number")
    )


PLACES = {"departement": count_departements, "region": count_regions}


def confirmed_within(months):
    """The confirmed filter's condition (filters.py), with no annotation to alias."""
    since = timezone.now() - timedelta(days=round(30.44 * int(months)))
    return Q(last_confirmed_at__gte=since) | Q(
        last_confirmed_at__isnull=True, created_at__gte=since
    )


def column_is(column, choice):
    return Q(**{column: choice})


# What a fiche must be for each choice of a criterion on its own row: the same
# condition as the criterion's filter (filters.py).
CONDITIONS = {
    **{name: partial(column_is, column) for name, column in COLUMNS.items()},
    # A fiche lists several bands in one column; codes are never substrings of each other.
    "age": lambda choice: Q(age_bands__contains=choice),
    # Only the fiches that show their contribution, as the filter itself (a count over
    # hidden values would reveal them).
    "financing": lambda choice: Q(financing_public=True, financing_band=choice),
    "social_housing": lambda choice: Q(
        financing_public=True, social_housing_eligible=choice == "yes"
    ),
    "children": lambda choice: Q(children__gte=int(choice)),
    "place": lambda choice: Q(place_identified=choice == "yes"),
    "confirmed": confirmed_within,
}
COUNTED = {*CONDITIONS, *PLACES, "project", "step", "value"}
