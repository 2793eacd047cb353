"""Security headers beyond Django's own: Permissions-Policy everywhere, and the admin's
Content-Security-Policy."""

from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP, build_policy


def admin_policy():
    """The site's policy with inline scripts and styles allowed: Wagtail's admin still
    writes some (date choosers, inline panels, choosers), which a nonce cannot reach.
    Only editors signed into the admin see these pages."""
    policy = dict(getattr(settings, "SECURE_CSP", None) or {})
    for directive in ("script-src", "style-src"):
        sources = [source for source in policy.get(directive, [CSP.SELF]) if source != CSP.NONCE]
        policy[directive] = [*sources, CSP.UNSAFE_INLINE]
    return build_policy(policy)


class SecurityHeadersMiddleware:
    """Adds settings.PERMISSIONS_POLICY to every response, and gives the admin's pages
    admin_policy() (Django's CSP middleware leaves a header already set alone)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        in_admin = request.path_info.startswith(self.admin_prefix)
        if in_admin and getattr(settings, "SECURE_CSP", None):
            response.headers.setdefault("Content-Security-Policy", admin_policy())
        return response
