"""The places and options of each fiche, copied into text columns of its own row, so
that the search counts its choices in one pass over the fiches (search/facets.py)
rather than one join per list of places or options.

Each column holds codes (départements, régions) or option ids between spaces,
" 38 69 ", which the search splits into its sets of fiches per code.
Written by ``refresh_facets`` whenever a fiche's sectors or options, or the geography of
its sectors, change (Profile.save, the Sector and ProfileOption signals, seed_demo,
load_geography).

Takes the model classes as arguments, so that the migration filling the columns runs
the same code with its historical models.
"""

from django.db.models import CharField, Value

FACET_DEPARTEMENTS = "facet_departements"
FACET_REGIONS = "facet_regions"
# Many-to-many field of the fiche → its column.
OPTION_FACETS = {
    "project_kinds": "facet_project_kinds",
    "steps": "facet_steps",
    "values": "facet_values",
}
FACET_FIELDS = (FACET_DEPARTEMENTS, FACET_REGIONS, *OPTION_FACETS.values())
# Enough ids to stay under SQLite's limit of variables in one query.
CHUNK = 1000


def joined(codes):
    """' 38 69 ': every code between spaces (an empty column for none)."""
    return f" {' '.join(sorted(codes))} " if codes else ""


def facets_of(profile_model, sector_model, profile_ids):
    """{fiche id: {column: text}} from the saved sectors and options, in two queries.

    A fiche lies in the départements of its sectors (territory_departement) and in those
    of the régions it chose as sectors, as the département filter finds it
    (territory.profiles_overlapping); in the régions of its sectors (territory_region).
    """
    found = {pk: {field: set() for field in FACET_FIELDS} for pk in profile_ids}
    sectors = sector_model.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id",
        "territory_departement__code",
        "territory_region__code",
        "region__departements__code",
    )
    for pk, departement, region, contained in sectors:
        found[pk][FACET_DEPARTEMENTS].update(code for code in (departement, contained) if code)
        if region:
            found[pk][FACET_REGIONS].add(region)
    links = [
        profile_model._meta.get_field(name)
        .remote_field.through.objects.filter(profile_id__in=profile_ids)
        .values_list(Value(field, output_field=CharField()), "profile_id", "profileoption_id")
        .order_by()
        for name, field in OPTION_FACETS.items()
    ]
    for field, pk, option_id in links[0].union(*links[1:], all=True):
        found[pk][field].add(str(option_id))
    return {
        pk: {field: joined(codes) for field, codes in columns.items()}
        for pk, columns in found.items()
    }


def refresh_facets(profile_model, sector_model, profile_ids):
    """Rewrite the facet columns of these fiches where they changed; returns
    {fiche id: {column: text}} of those that exist."""
    profile_ids = list(profile_ids)
    result = {}
    for start in range(0, len(profile_ids), CHUNK):
        chunk = profile_ids[start : start + CHUNK]
        stored = {
            pk: dict(zip(FACET_FIELDS, values, strict=True))
            for pk, *values in profile_model.objects.filter(pk__in=chunk).values_list(
                "pk", *FACET_FIELDS
            )
        }
        wanted = facets_of(profile_model, sector_model, list(stored))
        changed = [
            profile_model(pk=pk, **columns)
            for pk, columns in wanted.items()
            if columns != stored[pk]
        ]
        profile_model.objects.bulk_update(changed, FACET_FIELDS, batch_size=200)
        result.update(wanted)
    return result
