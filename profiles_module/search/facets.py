"""How many fiches each choice of the search form would find, shown next to it
("coopérative d'habitants (412)", "Loire (38)").

A choice's count is taken over the fiches that match every other criterion of the
search, not the criterion it belongs to: ticking a second tenure adds its count to the
results, so the choices of a criterion stay useful once one is ticked.

One query whatever the number of fiches, of choices or of criteria used: the fiches
matching the criteria that are not counted (place, words…) are read once for conditional
counts (COUNT … FILTER) of the choices on the fiche's own row, and once for the lists of
places and options, grouped by the text of their facet columns (models/facets.py). A
count includes the fiches that miss no criterion used but its own. Kept in the shared
cache until a fiche changes (ten minutes at most): the national page without criteria,
most visitors' first page, and every search made again are not counted again.
"""

from contextlib import nullcontext
from datetime import timedelta
from functools import partial

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    ExpressionWrapper,
    Q,
    Value,
    When,
)
from django.utils import timezone

from profiles_module.models.facets import FACET_DEPARTEMENTS, FACET_REGIONS, OPTION_FACETS, token
from profiles_module.search.filters import ProfileFilterSet
from profiles_module.search.query import SEARCH_CACHE_SECONDS

# Criteria that are a column of the fiche.
COLUMNS = {
    "kind": "profile_kind",
    "composition": "composition",
    "setting": "setting",
    "tenure": "tenure",
    "horizon": "horizon",
    "role": "role",
}


def facet_counts(filterset):
    """{criterion: {choice value: count}} for the checkbox criteria the search offers."""
    key = "profiles_module:facets:" + filterset.search_key()
    counts = cache.get(key)
    if counts is None:
        counts = count_choices(filterset)
        cache.set(key, counts, SEARCH_CACHE_SECONDS)
    return counts


def count_choices(filterset):
    """{criterion: {choice: count}} in one query, whatever the search (see above)."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    counted = [name for name in filterset.filters if name in COUNTED]
    # The other criteria (place, words, dates…) are the same for every count.
    fiches = filterset.queryset.all()
    used = {}
    for name, value in cleaned.items():
        if name not in filterset.filters:
            continue
        if name not in COUNTED:
            fiches = filterset.filters[name].filter(fiches, value)
        elif value not in (None, "", []):
            used[name] = meets(filterset, name, value)
    # Which criteria used a fiche fails, a bit each: the fiches are grouped by it, so
    # that it is worked out once per fiche, and a count over the fiches that meet every
    # criterion but this one adds up the groups that miss nothing or only this one.
    bits = {name: 1 << i for i, name in enumerate(used)}

    def groups_for(name):
        return {0, bits[name]} if name in bits else {0}

    connection = connections[fiches.db]
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL splits the lists of places and options into rows; elsewhere they are
    # counted choice by choice, as the conditions on the fiche's row.
    grouped = [name for name in counted if name in FACET_COLUMNS and postgresql]
    conditions = [
        (name, choice, condition)
        for name in counted
        if name not in grouped
        for choice, condition in choice_conditions(filterset, name)
    ]
    columns = {
        f"choice_{i}": ExpressionWrapper(condition, output_field=BooleanField())
        for i, (_name, _choice, condition) in enumerate(conditions)
    }
    columns["missed"] = ExpressionWrapper(
        sum((Case(When(used[name], then=0), default=bit) for name, bit in bits.items()), Value(0)),
        output_field=BigIntegerField(),
    )
    inner = fiches.order_by().values(*{FACET_COLUMNS[name] for name in grouped}, **columns)
    sql, params = inner.query.sql_with_params()
    counts = [count_where(connection, f"choice_{i}") for i in range(len(conditions))] or ["0"]
    # Only aliases and column names of this module are written into the SQL; every
    # value the visitor chose is a parameter of Django's subquery.
    select = f"SELECT missed, {', '.join(counts)} FROM fiche GROUP BY missed"  # noqa: S608
    if grouped:
        # Two parts PostgreSQL may run side by side (a parallel append), each reading
        # the fiches once: the conditional counts, and the lists (a JSON list).
        allowed = [groups_for(name) for name in grouped]
        select = (
            f"SELECT missed, ARRAY[{', '.join(counts)}], NULL::json FROM fiche "  # noqa: S608
            "GROUP BY missed UNION ALL "
            + group_codes([FACET_COLUMNS[name] for name in grouped], allowed)
        )
    with (
        transaction.atomic(using=fiches.db) if postgresql else nullcontext(),
        connection.cursor() as cursor,
    ):
        if postgresql:
            # Compiling a wide aggregate to machine code costs more than it saves; the
            # grouping sets hash in memory.
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        materialized = "NOT MATERIALIZED " if grouped else ""
        cursor.execute(f"WITH fiche AS {materialized}({sql}) {select}", params)  # noqa: S608
        rows = cursor.fetchall()
    lists = []
    if grouped:
        # The list is on the row without a group of fiches (NULL where none matched).
        lists = next(row[2] for row in rows if row[0] is None) or []
        rows = [(missed, *numbers) for missed, numbers, _list in rows if missed is not None]
    found = {name: {} for name in counted}
    for i, (name, choice, _condition) in enumerate(conditions):
        wanted = groups_for(name)
        found[name][choice] = sum(row[1 + i] for row in rows if row[0] in wanted)
    choice_by_code = [codes_to_choices(filterset, name) for name in grouped]
    for index, code, number in lists:
        found[grouped[index]][choice_by_code[index](code)] = number
    for by_choice in found.values():
        by_choice.pop(None, None)  # An option the search does not offer.
    return found


def group_codes(columns, allowed):
    """SQL: a JSON list of [column's index, code, count] for these facet columns, each
    counted over the groups of fiches (by criteria missed) it allows, in one pass.

    The fiches are grouped by each column's text first (grouping sets, a hash each): a
    few thousand distinct texts, rather than a row per code and fiche, are then split.
    """
    sets = ", ".join(f"({column}, missed)" for column in columns)
    which = " ".join(f"WHEN GROUPING({column}) = 0 THEN {i}" for i, column in enumerate(columns))
    kept = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN missed IN ({', '.join(map(str, sorted(groups)))})"
        for column, groups in zip(columns, allowed, strict=True)
    )
    return (
        "SELECT NULL, NULL, json_agg(json_build_array(k, code, n)) FROM ("  # noqa: S608
        "SELECT k, code, SUM(n) AS n FROM ("
        f"SELECT CASE {which} END AS k, COALESCE({', '.join(columns)}) AS codes, "
        f"COUNT(*) AS n FROM fiche GROUP BY GROUPING SETS ({sets}) HAVING CASE {kept} END"
        ") texts, unnest(string_to_array(btrim(codes), ' ')) AS code "
        "GROUP BY k, code) counts"
    )


def count_where(connection, condition):
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


def choices(filterset, name):
    return [str(value) for value, _label in filterset.filters[name].extra["choices"]]


def tokens(filterset, name, values):
    """What the facet column of a list criterion holds for these choices."""
    if name in filterset.OPTION_FILTERS:
        values = filterset.chosen_option_ids(name, values)
    return [token(value) for value in values]


def codes_to_choices(filterset, name):
    """code → the choice a code of the criterion's facet column stands for (None for an
    option the search does not offer)."""
    if name not in filterset.OPTION_FILTERS:
        return str
    slugs = {str(pk): slug for slug, pk in filterset.option_ids.get(name, {}).items()}
    return slugs.get


def meets(filterset, name, value):
    """The criterion's own filter as a condition on the fiche's row."""
    if name in FACET_COLUMNS:
        return any_token(FACET_COLUMNS[name], tokens(filterset, name, value))
    values = value if isinstance(value, list) else [value]
    condition = Q()
    for choice in values:
        condition |= CONDITIONS[name](str(choice))
    return condition


def any_token(column, values):
    condition = Q(pk__in=[])  # No id chosen: nothing matches, as the filter finds.
    for value in values:
        condition |= Q(**{f"{column}__contains": value})
    return condition


def choice_conditions(filterset, name):
    """[(choice, condition)] of a criterion, counted choice by choice."""
    if name in FACET_COLUMNS:
        return [
            (choice, any_token(FACET_COLUMNS[name], tokens(filterset, name, [choice])))
            for choice in choices(filterset, name)
        ]
    return [(choice, CONDITIONS[name](choice)) for choice in choices(filterset, name)]


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
# Criteria on a list of places or options: a facet column of the fiche each.
FACET_COLUMNS = {
    "departement": FACET_DEPARTEMENTS,
    "region": FACET_REGIONS,
    **{
        name: OPTION_FACETS[field]
        for name, (field, _category) in ProfileFilterSet.OPTION_FILTERS.items()
    },
}
COUNTED = {*CONDITIONS, *FACET_COLUMNS}
