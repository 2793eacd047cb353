"""Views of the alerts: save a search from a map page, confirm it, see it on the map,
unsubscribe (a page with a button, or the mail client's one-click POST), and the
owner's alert from their management page."""

import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from profiles_module.alerts import tokens
from profiles_module.alerts.emails import send_confirmation
from profiles_module.alerts.forms import AlertForm, OwnerAlertForm
from profiles_module.alerts.matching import (
    clean_query,
    owner_criteria,
    owner_map_page,
    owner_query,
)
from profiles_module.common.language import current_language
from profiles_module.common.ratelimit import client_ip, over_limit
from profiles_module.common.validators import whole_number
from profiles_module.conf import app_settings
from profiles_module.models import MapPage, SearchAlert
from profiles_module.partners.embed import partner_of
from profiles_module.publication.session import owner_required
from profiles_module.publication.views import manage

FORM_TEMPLATE = "profiles_module/alerts/form_page.html"


def search_url(request, page, query):
    """The map page showing `query` (criteria already cleaned by the filter set)."""
    url = page.get_url(request) or "/"
    return f"{url}?{QueryDict(query).urlencode()}" if query else url


@require_http_methods(["GET", "POST"])
@csrf_exempt
@never_cache
def create_alert(request):
    """POST from a map page's alert form: store the alert and email the confirmation
    link. The visitor sees the same page whether or not the address has this alert
    already. GET (a bookmarked URL) goes back to the home page.

    Exempt from CSRF: the form acts for no session (anyone may post it, a forged post
    only asks for a confirmation email, as a direct one would, under the same limits),
    and a token would make every map page differ per visitor and set a cookie."""
    if request.method == "GET":
        return redirect("/")
    form = AlertForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, FORM_TEMPLATE, {"form": form}, status=400)
    address = form.cleaned_data["address"]
    limited = over_limit("alert-ip", client_ip(request), app_settings.ALERTS_PER_IP) | over_limit(
        "alert-address", address, app_settings.ALERTS_PER_ADDRESS
    )
    if limited:
        return TemplateResponse(
            request, FORM_TEMPLATE, {"form": form, "rate_limited": True}, status=429
        )
    page = form.cleaned_data["page"]
    partner = partner_of(request)
    query = clean_query(form.cleaned_data["query"], page, partner)
    if not form.is_spam:
        save_alert(request, page, partner, query, address, form.cleaned_data["frequency"])
    sent = reverse("profiles_module:alert_sent") + "?" + urlencode({"page": page.pk, "q": query})
    return HttpResponseRedirect(sent)


def save_alert(request, page, partner, query, address, frequency):
    """A new alert waiting for confirmation; an alert of this address for this same
    search that waits already gets its link again, a confirmed one stays as it is."""
    same = SearchAlert.objects.filter(
        email__iexact=address, page=page, partner=partner, query=query, profile=None
    ).first()
    if same is not None and same.confirmed_at:
        return same
    if same is None:
        same = SearchAlert.objects.create(
            email=address,
            page=page,
            partner=partner,
            site=Site.find_for_request(request),
            query=query,
            frequency=frequency,
            language=current_language(),
        )
    send_confirmation(same)
    return same


@never_cache
def alert_sent(request):
    """ "Check your mailbox", with the way back to the search."""
    number = whole_number(request.GET.get("page", ""))
    page = MapPage.objects.live().filter(pk=number).first() if number else None
    back = search_url(request, page, request.GET.get("q", "")[:2000]) if page else ""
    return TemplateResponse(
        request,
        "profiles_module/alerts/sent.html",
        {"back": back, "confirm_days": app_settings.ALERT_CONFIRM_DAYS},
    )


def alert_of(uid_hex):
    try:
        uid = uuid.UUID(hex=uid_hex)
    except (TypeError, ValueError):
        return None
    return SearchAlert.objects.select_related("page").filter(uid=uid).first()


@require_http_methods(["GET", "POST"])
@never_cache
def confirm_alert(request, token):
    """The confirmation link: GET shows a button (mail scanners follow links), its POST
    starts the alert; only fiches published from then on are sent."""
    alert = alert_of(tokens.confirmed_uid(token))
    template = "profiles_module/alerts/confirm.html"
    if alert is None:
        return TemplateResponse(request, template, {"invalid": True}, status=410)
    context = {"alert": alert, "back": search_url(request, alert.page, alert.query)}
    if request.method == "POST":
        now = timezone.now()
        confirmed = SearchAlert.objects.filter(pk=alert.pk, confirmed_at=None).update(
            confirmed_at=now, checked_until=now
        )
        context["confirmed"] = True
        context["already"] = not confirmed
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@csrf_exempt  # The mail client's one-click POST has no token; the link's signature is the proof.
@never_cache
def unsubscribe(request, token):
    """GET: a page with one button (mail scanners follow links and must not unsubscribe);
    POST: the button, or the mail client's List-Unsubscribe-Post, erases the alert."""
    uid = tokens.signed_uid(token, tokens.UNSUBSCRIBE_SALT)
    alert = alert_of(uid) if uid else None
    template = "profiles_module/alerts/unsubscribe.html"
    if uid is None:
        return TemplateResponse(request, template, {"invalid": True}, status=404)
    if request.method == "POST":
        if alert is not None:
            alert.delete()
        return TemplateResponse(request, template, {"done": True})
    return TemplateResponse(request, template, {"alert": alert, "gone": alert is None})


@never_cache
def alert_map(request, token):
    """The "see this search on the map" link of the emails."""
    uid = tokens.signed_uid(token, tokens.MAP_SALT)
    alert = alert_of(uid) if uid else None
    if alert is None or not alert.page.live:
        return redirect("/")
    return redirect(search_url(request, alert.page, alert.query))


@require_POST
@owner_required
def owner_alert(request, profile):
    """The owner's page, "send me the new fiches like mine": already confirmed, since the
    fiche's address is. Posted again, it changes the alert's criteria and frequency."""
    criteria = owner_criteria(profile)
    form = OwnerAlertForm(criteria, request.POST)
    page = owner_map_page(profile)
    if page is None:
        return redirect("profiles_module:manage")
    if not form.is_valid():
        # The management page again, the owner's choices and the error next to them.
        response = manage(request)
        response.context_data["owner_alert_form"] = form
        return response
    query = owner_query(criteria, form.cleaned_data["criteria"])
    values = {
        "page": page,
        "partner": profile.partner,
        "site": profile.site,
        "query": clean_query(query, page, profile.partner),
        "frequency": form.cleaned_data["frequency"],
        "language": profile.language or current_language(),
    }
    _alert, created = SearchAlert.objects.update_or_create(
        profile=profile,
        defaults=values,
        create_defaults=values | {"confirmed_at": timezone.now()},
    )
    messages.success(
        request,
        _("Done: we will email you the new fiches that match your criteria.")
        if created
        else _("Your alert is updated."),
    )
    return redirect("profiles_module:manage")


@require_POST
@owner_required
def owner_alert_stop(request, profile):
    SearchAlert.objects.filter(profile=profile).delete()
    messages.success(request, _("Your alert is stopped: no more emails of new fiches."))
    return redirect("profiles_module:manage")
