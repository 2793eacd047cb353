"""Loading and searching the reference geography shipped in data/."""

from django.db.models import Case, Q, When

from profiles_module.models import Commune, normalize_place_name


def search_communes(text, limit=10, territory=None):
    """Communes matching a name or postal code: the exact name, then the most populated.

    Insensitive to accents, case, hyphens and "St"/"Saint". A name matches from its
    start ("saint et" → Saint-Étienne) or from any later word ("malo" → Saint-Malo).
    `territory` (a search.Territory; None or empty: all of France) limits them to its
    départements.
    """
    text = text.strip()[:100]
    communes = Commune.objects.only("id", "name", "postal_codes", "insee_code")
    if territory is not None and not territory.everywhere:
        communes = communes.filter(departement__in=territory.departements_queryset().values("pk"))
    if text.isdigit():
        if len(text) < 2:
            return []
        match = Q(postal_codes__startswith=text) | Q(postal_codes__contains=f" {text}")
        if len(text) == 5:
            match |= Q(insee_code=text)
        return list(communes.filter(match).order_by("-population", "name")[:limit])
    query = normalize_place_name(text)
    if not query:
        return []
    exact_first = Case(When(search_name=query, then=0), default=1)
    return list(
        communes.filter(
            Q(search_name__startswith=query) | Q(search_name__contains=f" {query}")
        ).order_by(exact_first, "-population", "name")[:limit]
    )
