"""The commune suggestion endpoint of the forms and the map pages."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from profiles_module.common.versions import CHOICE_LISTS
from profiles_module.conf import app_settings
from profiles_module.geography.lookup import search_communes
from profiles_module.partners.embed import territory_for

# Only a change the signals miss waits this long.
SUGGESTED_SECONDS = 60 * 60


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def commune_autocomplete(request):
    """Communes for a name or postal code typed in a form: ?q=saint etienne. On a
    partner's embedded pages and its own site, only those of its territory (the map's
    "around a commune" box and the wished sectors, see forms.TerritoryLimit)."""
    query = request.GET.get("q", "").strip()[:100]
    territory = territory_for(request)
    limit = app_settings.AUTOCOMPLETE_LIMIT

    def suggested():
        communes = search_communes(query, limit=limit, territory=territory)
        return [
            {
                "id": commune.pk,
                "insee_code": commune.insee_code,
                "name": commune.name,
                "postal_codes": commune.postal_codes.split(),
                "label": commune.label_for_postal_code(query),
            }
            for commune in communes
        ]

    # Everyone types the same first letters: each answer is kept in the shared cache
    # (matching 35,000 names anywhere in them is a scan, 10 ms) until the geography changes.
    results = CHOICE_LISTS.remembered(
        ("communes", query, territory, limit), suggested, SUGGESTED_SECONDS, in_process=True
    )
    return JsonResponse({"results": results})
