"""The public page of a fiche, and its contact form's handler (which shows the page
again with the form's errors)."""

from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from profiles_module.common.language import current_language
from profiles_module.common.leaflet import tile_layer
from profiles_module.common.paths import profile_slug
from profiles_module.contact.forms import ContactForm
from profiles_module.contact.views import (
    Recipient,
    over_contact_limits,
    remember_sender,
    send_contact_message,
    sender_is_proven,
)
from profiles_module.models.profiles import Profile, Sector, with_public_relations
from profiles_module.partners.embed import territory_for
from profiles_module.projects.views import projects_page


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
    queryset = with_public_relations(Profile.objects.public()).select_related(
        "place_commune", "project"
    )
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


def project_url(request, profile):
    """Where the fiche's project links to: its page on this site, else the national
    database's; "" when the fiche has none, or a project gone from the database."""
    project = profile.project
    if project is None or not project.is_current:
        return ""
    page = projects_page(request)
    return page.project_url(project) if page else project.source_url


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
            "project_url": project_url(request, profile),
            "contact_form": contact_form or ContactForm(profile=profile),
            "contact_sent": request.GET.get("contact") == "sent",
            "contact_verify": request.GET.get("contact") == "verify",
        }
        | extra,
        status=status,
    )


@require_POST
@never_cache
def contact(request, uid):
    """POST of the contact form of a profile page."""
    queryset = with_public_relations(Profile.objects.public()).select_related(
        "place_commune", "project"
    )
    profile = get_object_or_404(queryset, uid=uid)
    form = ContactForm(request.POST, profile=profile)
    if over_contact_limits(request, form, Recipient(profile=profile).rate_key):
        return profile_page(request, profile, contact_form=form, status=429, contact_limited=True)
    if not form.is_valid():
        return profile_page(request, profile, contact_form=form, status=400)
    # A bot that filled the honeypot sees the same page as a person.
    done = redirect(profile.get_absolute_url() + "?contact=sent#contact")
    if not form.is_spam:
        sender_email = form.cleaned_data["sender_address"]
        proven = sender_is_proven(request, sender_email)
        send_contact_message(
            profile,
            sender_name=form.cleaned_data["sender_name"],
            sender_email=sender_email,
            body=form.cleaned_data["message"],
            sender_language=current_language(),
            verified=proven,
        )
        if not proven:
            return redirect(profile.get_absolute_url() + "?contact=verify#contact")
        remember_sender(request, done, sender_email)
    return done
