"""The page route of each request, from the shared cache."""

from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from profiles_module.common.page_links import remembered
from profiles_module.common.sites import request_site


class CachedRoutesMiddleware:
    """Wagtail's Site and route of a page's address, from the shared cache.

    Wagtail looks them up on every request for a page: the Site by hostname, then the page
    tree one level per part of the path, the active language's translation and the page's
    own row, five queries before the page is served (a tenth of a search's time). They
    change only with the page tree or the sites, which replace PUBLISHED_PAGES. Wagtail
    keeps its answers on the request (`_wagtail_site`, `_wagtail_route_for_request`, as
    Site.find_for_request and Page.route_for_request say) and reads them from there: this
    fills them in first, once the address is resolved to Wagtail's view. process_view
    runs after every middleware's request step, so CommonMiddleware has refused the hosts
    not allowed before a host becomes a key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return
        site = request_site(request)
        if site is None:
            return
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        route = remembered(
            ("route", site.pk, path, get_language()),
            lambda: Page.route_for_request(request, path),
        )
        # Not found (None) is not kept, or any address would make an entry.
        if route is not None:
            request._wagtail_route_for_request = route
