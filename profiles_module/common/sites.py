"""Wagtail Sites: the default one, where a fiche or a request names none, and the one of
a request."""

from wagtail.models import Site

from profiles_module.common.page_links import remembered


def default_site():

    return Site.objects.filter(is_default_site=True).first()


def request_site(request):
    """Site.find_for_request(request), from the shared cache until a site or the page tree
    changes: Wagtail's lookup is a query, and the API's every request names the site (for
    its partner). Kept on the request, where Wagtail's own lookup then finds it."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = remembered(
            ("site", request.get_host(), request.get_port()),
            lambda: Site.find_for_request(request),
        )
    return request._wagtail_site
