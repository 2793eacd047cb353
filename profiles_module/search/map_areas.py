"""Where the map page's map opens: the extent of its territory, and the places
(metropolitan France, each overseas département) a visitor can jump to."""

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


def map_areas(territory):
    """[(label, bounds)] of the parts of the territory that lie far apart, metropolitan
    France first; the map opens on the first one and offers to jump to the others."""
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
        return [(_("Metropolitan France"), METROPOLE_BOUNDS), *overseas]
    metropole = communes.exclude(departement__code__startswith=OVERSEAS_PREFIX).aggregate(**EXTENT)
    if metropole["south"] is None:
        return overseas
    bounds = [[metropole["south"], metropole["west"]], [metropole["north"], metropole["east"]]]
    return [(_("Metropolitan France"), bounds), *overseas]
