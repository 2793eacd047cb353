"""Views of households: the publish page, the owners' links and the management pages.

An owner signs in by POSTing the button of a link's page; the session then holds the
id of that one profile for OWNER_SESSION_MINUTES.
"""

import json

from django.contrib import messages
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from profiles_module.common.language import current_language
from profiles_module.common.leaflet import tile_host
from profiles_module.common.ratelimit import client_ip, over_limit
from profiles_module.conf import app_settings
from profiles_module.matching.suggest import suggestions_for
from profiles_module.models import ProfileEvent, SuggestionEmails
from profiles_module.partners.embed import partner_of, territory_for
from profiles_module.publication import lifecycle, suggestions, tokens
from profiles_module.publication.forms import (
    DeleteForm,
    EmailChangeForm,
    LinkRequestForm,
    ProfileForm,
)
from profiles_module.publication.session import SESSION_KEY, owner_required, sign_in

Event = ProfileEvent.Kind
Purpose = tokens.Purpose


# --- helpers


def manage_url():
    return reverse("profiles_module:manage")


# --- the publish page


def serve_publish_page(page, request):
    """GET: the form; POST: store the draft and send the confirmation link."""
    context = page.get_context(request)
    if request.method == "GET" and request.GET.get("sent"):
        return TemplateResponse(request, "profiles_module/publish/thanks.html", context)
    form_class = page.get_form_class()
    # On a partner's embedded form or own site, the sectors stay in its territory.
    partner = partner_of(request)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, partner=partner)
        if over_limit("submit-ip", client_ip(request), app_settings.SUBMISSIONS_PER_IP):
            context["rate_limited"] = True
            status = 429
        elif form.is_valid():
            if not form.is_spam:
                handle_submission(page, request, form)
            return HttpResponseRedirect(page.get_url(request) + "?sent=1")
    else:
        form = form_class(partner=partner)
    context["form"] = form
    context["tile_host"] = tile_host()
    return TemplateResponse(request, page.get_template(request), context, status=status)


def handle_submission(page, request, form):
    """Store a valid submission, or email its address a management link when one
    profile per address is the rule and it is registered already. The visitor sees
    the same page either way."""
    site = page.get_site()
    email = form.cleaned_data["email"]
    if lifecycle.settings_for(site).one_profile_per_email:
        existing = lifecycle.find_existing(email, site)
        if existing is not None:
            lifecycle.submit_duplicate(existing)
            return None
    profile = form.save(commit=False)
    # Published through a partner's embedded form or own site: attributed to it.
    profile.partner = partner_of(request)
    return lifecycle.submit(
        profile,
        site=site,
        language=current_language(),
        news_consent=form.cleaned_data.get("news_consent", False),
    )


# --- links sent by email


def link_view(purpose, template_action):
    @require_http_methods(["GET", "POST"])
    @never_cache
    def view(request, token):
        found = tokens.find(token, purpose)
        state = found.state() if found else "unknown"
        action = request.GET.get("action", "")
        context = {"purpose": purpose, "action": action, "state": state}
        if state != "valid":
            context["form"] = LinkRequestForm()
            return TemplateResponse(
                request, "profiles_module/manage/link_invalid.html", context, status=410
            )
        if request.method == "GET":
            # Mail scanners follow links: a GET shows a button and spends nothing.
            context["profile"] = found.profile
            return TemplateResponse(request, "profiles_module/manage/link.html", context)
        spent = tokens.spend(token, purpose)
        if spent is None:  # spent by a concurrent request
            context.update(state="used", form=LinkRequestForm())
            return TemplateResponse(
                request, "profiles_module/manage/link_invalid.html", context, status=410
            )
        return template_action(request, spent, action)

    return view


def _after_confirm(request, token, action):
    profile = lifecycle.confirm_email(token.profile)
    sign_in(request, profile)
    profile.refresh_from_db()
    if profile.live:
        messages.success(
            request, _("Thank you! Your address is confirmed and your profile is published.")
        )
    else:
        messages.success(
            request,
            _(
                "Thank you! Your address is confirmed. Your profile will be published once a "
                "moderator has reviewed it; we will tell you by email."
            ),
        )
    return redirect(manage_url())


def _after_manage(request, token, action):
    profile = token.profile
    sign_in(request, profile)
    ProfileEvent.record(profile, Event.SIGNED_IN)
    if action == "still-looking":
        lifecycle.mark_still_looking(profile)
        messages.success(request, _("Thank you! Your profile stays online."))
    return redirect(manage_url())


def _after_email_change(request, token, action):
    profile = token.profile
    conf = lifecycle.settings_for(profile)
    other = lifecycle.find_existing(token.new_email, profile.site)
    if conf.one_profile_per_email and other is not None and other.pk != profile.pk:
        return TemplateResponse(
            request, "profiles_module/manage/email_taken.html", {"form": LinkRequestForm()}
        )
    lifecycle.change_email(token)
    sign_in(request, profile)
    messages.success(request, _("Your new email address is confirmed."))
    return redirect(manage_url())


confirm = link_view(Purpose.CONFIRM, _after_confirm)
owner_link = link_view(Purpose.MANAGE, _after_manage)
confirm_email_change = link_view(Purpose.CHANGE_EMAIL, _after_email_change)


@require_http_methods(["GET", "POST"])
@never_cache
def new_link(request):
    """ "Send me a new link": the same answer whether or not the address is known."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limited = over_limit(
            "link-ip", client_ip(request), app_settings.LINK_REQUESTS_PER_IP
        ) | over_limit("link-address", email, app_settings.LINK_REQUESTS_PER_ADDRESS)
        if limited:
            return TemplateResponse(
                request,
                "profiles_module/manage/new_link.html",
                {"form": form, "rate_limited": True},
                status=429,
            )

        lifecycle.send_new_link(email, Site.find_for_request(request))
        return TemplateResponse(request, "profiles_module/manage/new_link_sent.html", {})
    return TemplateResponse(request, "profiles_module/manage/new_link.html", {"form": form})


# --- the management pages


@owner_required
def manage(request, profile):
    return TemplateResponse(
        request,
        "profiles_module/manage/home.html",
        {
            "profile": profile,
            "awaiting_moderation": profile.email_confirmed_at
            and not profile.live
            and not profile.paused
            and not profile.hidden_reason,
            "session_minutes": app_settings.OWNER_SESSION_MINUTES,
            # Only for a published fiche: suggestions are for fiches others can find. On a
            # partner's pages, those of its territory (the only fiches its pages open).
            "suggestions": (
                suggestions_for(profile, territory=territory_for(request)) if profile.live else None
            ),
            "suggestion_emails": suggestions.emails_enabled(profile),
        },
    )


@require_POST
@owner_required
def manage_suggestion_emails(request, profile):
    """The management page's switch of the email of suggestions."""
    enabled = request.POST.get("enabled") == "on"
    suggestions.set_emails(profile, enabled)
    if enabled:
        messages.success(request, _("You will receive new suggestions by email."))
    else:
        messages.success(request, _("You will no longer receive suggestions by email."))
    return redirect(manage_url() + "#suggestions")


# Without CSRF: the mail client's one-click unsubscribe (RFC 8058) POSTs from outside
# the site, and the signed token in the address is what proves the right to switch off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def stop_suggestion_emails(request, token):
    """The link of each email of suggestions. A GET shows a button (mail scanners follow
    links); its POST, or the mail client's one-click unsubscribe, switches the email off."""
    profile = suggestions.profile_of_stop_token(token)
    context = {"state": "unknown" if profile is None else "valid"}
    if profile is None:
        return TemplateResponse(
            request, "profiles_module/manage/suggestions_stop.html", context, status=404
        )
    if request.method == "POST":
        suggestions.set_emails(profile, False)
        context["state"] = "stopped"
    return TemplateResponse(request, "profiles_module/manage/suggestions_stop.html", context)


@owner_required
def manage_edit(request, profile):
    current = profile.get_latest_revision_as_object()
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=current, partner=partner_of(request)
    )
    if request.method == "POST" and form.is_valid():
        lifecycle.save_owner_edit(form.save(commit=False))
        messages.success(request, _("Your profile is saved."))
        return redirect(manage_url())
    return TemplateResponse(
        request, "profiles_module/manage/edit.html", {"form": form, "profile": profile}
    )


@require_POST
@owner_required
def manage_pause(request, profile):
    lifecycle.pause(profile)
    messages.success(request, _("Your profile is paused: nobody can find it until you resume it."))
    return redirect(manage_url())


@require_POST
@owner_required
def manage_resume(request, profile):
    lifecycle.resume(profile)
    messages.success(request, _("Your profile is back."))
    return redirect(manage_url())


@require_POST
@owner_required
def manage_still_looking(request, profile):
    lifecycle.mark_still_looking(profile)
    messages.success(request, _("Thank you! Your profile stays online."))
    return redirect(manage_url())


@owner_required
def manage_email(request, profile):
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lifecycle.request_email_change(profile, form.cleaned_data["email"])
        messages.success(
            request,
            _("We sent a link to the new address: your address changes once you follow it."),
        )
        return redirect(manage_url())
    return TemplateResponse(
        request, "profiles_module/manage/email.html", {"form": form, "profile": profile}
    )


@owner_required
def manage_delete(request, profile):
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lifecycle.erase(profile, "owner")
        request.session.flush()
        return TemplateResponse(request, "profiles_module/manage/deleted.html", {})
    return TemplateResponse(
        request, "profiles_module/manage/delete.html", {"form": form, "profile": profile}
    )


@owner_required
def manage_data(request, profile):
    ProfileEvent.record(profile, Event.DATA_DOWNLOADED)
    body = json.dumps(profile_data(profile), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fiche-{profile.uid}.json"'
    return response


@require_POST
def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    return TemplateResponse(
        request, "profiles_module/manage/signed_out.html", {"form": LinkRequestForm()}
    )


# What the features built on this one add to the owner's data download, as
# {key: function(profile)}: the contact relay adds "messages" (registered in
# AppConfig.ready()), so that this module never imports them.
DATA_SECTIONS = {}


def suggestion_emails_data(profile):
    row = SuggestionEmails.of(profile)
    return {"enabled": row.enabled, "last_sent": row.sent_at}


def profile_data(profile):
    """Everything stored about a profile, for its owner ("download my data")."""
    fields = serializers.serialize("python", [profile])[0]["fields"]
    for name in ("project_kinds", "steps", "values"):
        fields[name] = list(getattr(profile, name).values_list("slug", flat=True))
    return {
        "uid": str(profile.uid),
        "profile": fields,
        "sectors": [
            {
                "kind": sector.kind,
                "commune": sector.commune.insee_code if sector.commune else None,
                "commune_name": sector.commune.name if sector.commune else None,
                "radius_km": sector.radius_km if sector.commune else None,
                "departement": sector.departement.code if sector.departement else None,
                "region": sector.region.code if sector.region else None,
            }
            for sector in profile.sectors.all()
        ],
        "suggestion_emails": suggestion_emails_data(profile),
        "consents": {
            "publication": profile.publication_consent_at,
            "news": profile.news_consent,
            "news_given_on": profile.news_consent_at,
        },
        "events": [
            {"event": event.kind, "when": event.created_at, "detail": event.detail}
            for event in profile.events.order_by("created_at", "pk")
        ],
        "emails": [
            {
                "template": message.template,
                "subject": message.subject,
                "status": message.status,
                "created_at": message.created_at,
                "sent_at": message.sent_at,
            }
            for message in profile.outgoing_emails.order_by("created_at", "pk")
        ],
    } | {name: section(profile) for name, section in DATA_SECTIONS.items()}
