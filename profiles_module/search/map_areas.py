"""Where the map page's map opens: the extent of its territory, and the places
(metropolitan France, each overseas département) a visitor can jump to."""

from django.core.cache import cache
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from profiles_module.models import Commune

EXTENT = {
    "south": Min("latitude"),
    "west": Min("longitude"),
    "north": Max("latitude"),
    "east": Max("longitude"),
}
# Metropolitan France with Corsica, from Ouessant to Strasbourg and Bonifacio to Dunkirk:
# fixed, so a national page opens on all of it whatever the screen, without a query.
METROPOLE_BOUNDS = [[41.33, -5.15], [51.09, 9.56]]
OVERSEAS_PREFIX = "97"


# The reference geography changes about once a year (load_geography): a day is plenty.
CACHE_SECONDS = 24 * 3600


def map_areas(territory):
    """[(label, bounds)] of the parts of the territory that lie far apart, metropolitan
    France first; the map opens on the first one and offers to jump to the others.

    An aggregate over the territory's communes, the same for every visitor of a page:
    computed once a day per territory, in the shared cache."""
    regions, departements = (
        ",".join(map(str, ids)) for ids in (territory.region_ids, territory.departement_ids)
    )
    key = f"profiles_module:map_areas:{regions}:{departements}"
    found = cache.get(key)
    if found is None:
        found = compute_map_areas(territory)
        cache.set(key, found, CACHE_SECONDS)
    metropole, overseas = found
    # Labelled per request, in the visitor's language.
    if metropole is None:
        return overseas
    return [(_("Metropolitan France"), metropole), *overseas]


def compute_map_areas(territory):
    """(bounds of the metropolitan part or None, [(name, bounds)] of each overseas part)."""
    communes = Commune.objects.all()
    if not territory.everywhere:
        communes = communes.filter(departement__in=territory.departements_queryset().values("pk"))
    extents = (
        communes.filter(departement__code__startswith=OVERSEAS_PREFIX)
        .values("departement__code", "departement__name")
        .annotate(**EXTENT)
        .order_by("departement__code")
    )
    overseas = [
        (row["departement__name"], [[row["south"], row["west"]], [row["north"], row["east"]]])
        for row in extents
    ]
    if territory.everywhere:
        return METROPOLE_BOUNDS, overseas
    metropole = communes.exclude(departement__code__startswith=OVERSEAS_PREFIX).aggregate(**EXTENT)
    if metropole["south"] is None:
        return None, overseas
    return [
        [metropole["south"], metropole["west"]],
        [metropole["north"], metropole["east"]],
    ], overseas
