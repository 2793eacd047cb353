"""The legal pages of the current site, for the footers."""

from django import template
from wagtail.models import Site

from home.models import LegalPage

register = template.Library()


def current_site(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


@register.simple_tag(takes_context=True)
def legal_pages(context):
    """The site's published legal pages, in the order of the page tree; on a site without
    any (a partner's own site), those of the default site, which hosts the service."""
    site = current_site(context)
    if site is None:
        return []
    pages = LegalPage.objects.live().public().order_by("path")
    own = list(pages.in_site(site))
    if own or site.is_default_site:
        return own
    default = Site.objects.filter(is_default_site=True).first()
    return list(pages.in_site(default)) if default is not None else []


@register.simple_tag(takes_context=True)
def national_legal_links(context):
    """(title, absolute URL) of the legal pages on the national site, for the pages
    embedded on partners' sites: Wagtail's own URLs there would keep the embed prefix
    and open the texts in the partner's layout."""
    site = current_site(context)
    national = context.get("profiles_national_url")
    national = national() if callable(national) else national
    if site is None or not national:
        return [(page.title, page.full_url) for page in legal_pages(context)]
    root = site.root_page.url_path
    return [
        (page.title, national.rstrip("/") + "/" + page.url_path.removeprefix(root))
        for page in legal_pages(context)
    ]
