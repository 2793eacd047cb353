from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from profiles_module.conf import app_settings
from profiles_module.geography.communes import search_communes
from profiles_module.models import Profile, Sector
from profiles_module.partners.embed import territory_for
from profiles_module.publication.forms import ContactForm
from profiles_module.search.query import profile_slug, with_public_relations


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def commune_autocomplete(request):
    """Communes for a name or postal code typed in a form: ?q=saint etienne. On a
    partner's embedded pages and its own site, only those of its territory (the map's
    "around a commune" box and the wished sectors, see forms.TerritoryLimit)."""
    query = request.GET.get("q", "").strip()[:100]
    communes = search_communes(
        query, limit=app_settings.AUTOCOMPLETE_LIMIT, territory=territory_for(request)
    )
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


def safe_back_link(request):
    """The search page to go back to, from ?back=: a path on this site only (no open redirect)."""
    back = request.GET.get("back", "")
    if (
        back.startswith("/")
        and not back.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    ):
        return back
    return ""


@require_GET
def profile_detail(request, uid, slug=None):
    """The public page of a profile: /fiches/<uid>/<slug>/; other slugs redirect to it."""
    queryset = with_public_relations(Profile.objects.public()).select_related("place_commune")
    # On a partner's embedded pages or own site, only the profiles of its territory.
    territory = territory_for(request)
    if not territory.everywhere:
        queryset = territory.apply(queryset)
    profile = get_object_or_404(queryset, uid=uid)
    if slug != profile_slug(profile.public_name):
        url = profile.get_absolute_url()
        if request.GET:
            url += "?" + request.GET.urlencode()
        return redirect(url)
    return profile_page(request, profile)


def profile_page(request, profile, *, contact_form=None, status=200, **extra):
    """The profile page response; the contact view renders it again with its bound form."""
    sectors = []
    for sector in profile.sectors.all():
        place = sector.place
        if place is not None:
            sectors.append(
                {
                    "lat": round(place.latitude, 4),
                    "lng": round(place.longitude, 4),
                    "radius_km": sector.radius_km if sector.kind == Sector.Kind.COMMUNE else None,
                    "label": str(sector),
                }
            )
    return TemplateResponse(
        request,
        "profiles_module/profile_page.html",
        {
            "profile": profile,
            "back": safe_back_link(request),
            "sector_map": {"sectors": sectors, "tiles": tile_layer()},
            "contact_form": contact_form or ContactForm(profile=profile),
            "contact_sent": request.GET.get("contact") == "sent",
            "contact_verify": request.GET.get("contact") == "verify",
        }
        | extra,
        status=status,
    )


def tile_layer():
    """The tile server of wagtailgeowidget's setting, so the admin and public maps agree."""
    return {
        "url": getattr(
            settings,
            "GEO_WIDGET_LEAFLET_TILE_LAYER",
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        ),
        "options": getattr(
            settings,
            "GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS",
            {
                "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">'
                "OpenStreetMap</a> contributors"
            },
        ),
    }
