"""The legal pages of the current site, for the footers."""

from django import template
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from wagtail.models import Locale, Site

from home.models import LegalPage
from profiles_module.common.page_links import remembered

register = template.Library()


def current_site(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).first()


@register.simple_tag(takes_context=True)
def legal_links(context):
    """(title, address) of the footer's legal pages (legal_pages), from the shared cache."""
    request = context.get("request")
    site = current_site(context)
    if site is None:
        return []
    host = request.get_host() if request is not None else ""
    return remembered(
        ("legal", site.pk, translation.get_language(), host, get_script_prefix()),
        lambda: [(page.title, page.get_url(request=request)) for page in legal_pages(context)],
        in_process=True,
    )


def legal_pages(context):
    """The site's published legal pages in the page's language (in French where they are
    not translated), in the order of the page tree; on a site without any (a partner's
    own site), those of the default site, which hosts the service."""
    site = current_site(context)
    if site is None:
        return []
    own = in_language(site)
    if own or site.is_default_site:
        return own
    default = Site.objects.filter(is_default_site=True).first()
    return in_language(default) if default is not None else []


def in_language(site):
    """A site's legal pages in the active language's tree, else in the default one's."""
    pages = LegalPage.objects.live().public().order_by("path")
    for locale in (Locale.get_active(), Locale.get_default()):
        root = site.root_page.get_translation_or_none(locale)
        found = list(pages.descendant_of(root)) if root is not None else []
        if found:
            return found
    return []


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
    current = get_script_prefix()
    set_script_prefix("/")  # the page's own path, without this request's embed prefix
    try:
        return [
            (page.title, national.rstrip("/") + page.get_url_parts()[2])
            for page in legal_pages(context)
        ]
    finally:
        set_script_prefix(current)
