"""Embed mode ("marque blanche") and partner sites.

Every public page of the tool is also served under ``/integration/<partner slug>/``:
the same page in the partner's colours and logo, without the host site's header and
footer, limited to the partner's territory, for an iframe on the partner's website.

The prefix works like a script prefix (Django's SCRIPT_NAME): the middleware strips it
before URL resolution and sets it as the script prefix, so every URL that Django or
Wagtail builds during the request (`reverse`, `page.url`, redirects) keeps it, and
navigation stays inside the frame without any template knowing about it.

A partner may instead have its own Wagtail Site: requests to that site's hostname get
the partner (territory, attribution) with the site's normal layout.
"""

import re

from django.conf import settings
from django.http import Http404
from django.middleware.csp import get_nonce
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, get_script_prefix, resolve, set_script_prefix
from django.utils import translation
from django.utils.csp import CSP, build_policy

from profiles_module.common.sites import default_site, request_site
from profiles_module.conf import app_settings
from profiles_module.models import Partner
from profiles_module.models.territory import Territory

EMBED_PATH_RE = re.compile(r"^/integration/(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)$")
# What an embedded frame may show: the app's public URLs and Wagtail's pages. Never the
# admin (the partner's site could frame it) nor the host's other URLs.
EMBEDDABLE_NAMESPACES = {"profiles_module"}
EMBEDDABLE_VIEWS = {"wagtail_serve"}
EMBED_TEMPLATE = "profiles_module/embed/layout.html"


def embed_prefix(partner):
    return f"integration/{partner.slug}/"


def partner_of(request):
    """The partner a request is for (embedded page or partner site), or None.

    For a partner site it is looked up on first use only: most requests never ask.
    """
    if request is None:
        return None
    if not hasattr(request, "_profiles_partner"):
        site = request_site(request)
        request._profiles_partner = Partner.of_site(site.pk) if site else None
    return request._profiles_partner


def is_embedded(request):
    return getattr(request, "_profiles_embedded", False)


def layout_template(request):
    """The template the app's pages extend: the embed layout, or the host's base."""
    return EMBED_TEMPLATE if is_embedded(request) else app_settings.BASE_TEMPLATE


def territory_for(request, territory=None):
    """`territory` (a map page's; None: all of France) limited to the request's
    partner's territory, on its embedded pages and its own site."""

    territory = territory or Territory()
    partner = partner_of(request)
    return territory if partner is None else territory & partner.get_territory()


def national_url(request):
    """The national site's home page, for a link out of a partner's pages ("" elsewhere)."""
    partner = partner_of(request)
    if partner is None:
        return ""
    if is_embedded(request):
        # This same site without the embed prefix, which ends the frame's script prefix.
        return request.build_absolute_uri(get_script_prefix().removesuffix(embed_prefix(partner)))

    site = default_site()
    return f"{site.root_url}/" if site is not None and site.pk != partner.site_id else ""


def content_security_policy(request, partner):
    """The site's policy (SECURE_CSP, with this request's nonce), where only the partner's
    declared origins may frame the page, and this site itself (its integration preview)."""
    policy = dict(getattr(settings, "SECURE_CSP", None) or {})
    policy["frame-ancestors"] = [CSP.SELF, *partner.origins]
    return build_policy(policy, get_nonce(request))


class EmbedMiddleware:
    """Recognise embedded requests and partner sites; put the CSP on embedded pages.

    Place it right after SecurityMiddleware, before anything that reads the path.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        match = EMBED_PATH_RE.match(request.path_info)
        if not match:
            return self.get_response(request)
        partner = Partner.by_slug(match["slug"])
        if partner is None or not self.embeddable(match["rest"]):
            raise Http404
        outer_prefix = get_script_prefix()
        request.path_info = match["rest"]
        request.path = outer_prefix + embed_prefix(partner).rstrip("/") + match["rest"]
        request._profiles_partner = partner
        request._profiles_embedded = True
        set_script_prefix(outer_prefix + embed_prefix(partner))
        try:
            response = self.get_response(request)
        finally:
            # The prefix is per thread: put it back for whatever runs next in it.
            set_script_prefix(outer_prefix)
        # Only the partner's declared origins may frame the page (X-Frame-Options
        # cannot list origins, and CSP frame-ancestors takes precedence anyway).
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        response["Content-Security-Policy"] = content_security_policy(request, partner)
        return response

    @staticmethod
    def embeddable(path):
        # /en/… resolves only in English: language prefixes (i18n_patterns) are matched
        # against the active language, which LocaleMiddleware has not set yet.
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(path)
        except Resolver404:
            return True  # Wagtail's catch-all 404, or the normal 404 page.
        return match.namespace in EMBEDDABLE_NAMESPACES or match.url_name in EMBEDDABLE_VIEWS


class EmbedCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, working in embedded frames without the CSRF cookie.

    In a frame on the partner's site the CSRF cookie is a third-party cookie, which
    browsers increasingly block, so the form's token has nothing to be compared with.
    For embedded requests only, a POST that carries an Origin header is accepted
    without the cookie: Django has already checked, before the token, that this
    Origin is this site's own (or a trusted one), which a forged cross-site request
    cannot fake. A POST without an Origin header still needs the cookie and the token.
    """

    def _check_token(self, request):
        if is_embedded(request) and "HTTP_ORIGIN" in request.META:
            return
        super()._check_token(request)
