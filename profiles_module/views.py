from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .conf import app_settings
from .geography import search_communes


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def commune_autocomplete(request):
    """Communes for a name or postal code typed in a form: ?q=saint etienne."""
    query = request.GET.get("q", "").strip()[:100]
    communes = search_communes(query, limit=app_settings.AUTOCOMPLETE_LIMIT)
    return JsonResponse(
        {
            "results": [
                {
                    "id": commune.pk,
                    "insee_code": commune.insee_code,
                    "name": commune.name,
                    "postal_codes": commune.postal_codes.split(),
                    "label": commune.label_for_postal_code(query),
                }
                for commune in communes
            ]
        }
    )
