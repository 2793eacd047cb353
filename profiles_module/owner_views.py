"""Views of households: the publish page, the owners' links and the management pages.

An owner signs in by POSTing the button of a link's page; the session then holds the
id of that one profile for OWNER_SESSION_MINUTES.
"""

import hashlib
import json
import logging
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core import serializers
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import lifecycle, tokens
from .conf import app_settings
from .contact_history import history, history_data
from .embed import partner_of
from .forms import DeleteForm, EmailChangeForm, LinkRequestForm, ProfileForm
from .models import Profile, ProfileEvent

Event = ProfileEvent.Kind
SESSION_KEY = "profiles_module_owner"
logger = logging.getLogger("profiles_module")
Purpose = tokens.Purpose


# --- helpers


# Set once the missing header has been reported: a misconfiguration shows on every
# request, and one line per process says it without flooding the log.
warned_about_missing_proxy_header = False


def client_ip(request):
    """The visitor's address for the rate limits: REMOTE_ADDR, or behind PROFILES_TRUSTED_PROXIES
    reverse proxies the address the outermost of them saw in X-Forwarded-For."""
    global warned_about_missing_proxy_header
    proxies = app_settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if proxies and forwarded:
        # Each proxy appends what it saw: the last `proxies` entries are theirs; anything
        # before is the client's own claim.
        return forwarded[-min(proxies, len(forwarded))]
    if proxies and not warned_about_missing_proxy_header:
        warned_about_missing_proxy_header = True
        logger.warning(
            "PROFILES_TRUSTED_PROXIES is %d but a request came without X-Forwarded-For: "
            "the per-IP limits count the connection's address. If visitors reach the "
            "server directly, set it to 0 (env TRUSTED_PROXIES), or a client can choose "
            "its address by sending the header; otherwise make the proxy append it.",
            proxies,
        )
    return request.META.get("REMOTE_ADDR", "")


def over_limit(scope, value, limit, window=None):
    """Count one request for (scope, value) in the current window (RATE_LIMIT_WINDOW_SECONDS
    unless `window` is given, in seconds); True past `limit`."""
    window = window or app_settings.RATE_LIMIT_WINDOW_SECONDS
    digest = hashlib.sha256(f"{scope}:{value}".lower().encode()).hexdigest()
    key = f"profiles_module:rate:{digest}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def current_language():
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def sign_in(request, profile):
    request.session.cycle_key()
    until = timezone.now() + timedelta(minutes=app_settings.OWNER_SESSION_MINUTES)
    request.session[SESSION_KEY] = {"profile": profile.pk, "until": until.timestamp()}


def signed_in_profile(request):
    data = request.session.get(SESSION_KEY)
    if not data or data.get("until", 0) < timezone.now().timestamp():
        return None
    return Profile.objects.filter(pk=data.get("profile")).first()


def owner_required(view):
    """The owner's profile as `profile`, or the "sign in again" page."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        profile = signed_in_profile(request)
        if profile is None:
            request.session.pop(SESSION_KEY, None)
            return TemplateResponse(
                request,
                "profiles_module/manage/signed_out.html",
                {"form": LinkRequestForm(), "expired": True},
                status=403,
            )
        return view(request, profile, *args, **kwargs)

    return wrapper


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
        from wagtail.models import Site

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
        },
    )


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
def manage_contacts(request, profile):
    """The owner's contact history: who wrote to them, whom they wrote to."""
    received, sent = history(profile)
    return TemplateResponse(
        request,
        "profiles_module/manage/contacts.html",
        {
            "profile": profile,
            "received": received,
            "sent": sent,
            "body_days": app_settings.CONTACT_BODY_DAYS,
        },
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
        # Both directions: names, dates, statuses and texts not erased yet; no address.
        "messages": history_data(profile),
    }
