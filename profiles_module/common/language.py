"""The language of the current request, among the site's languages, and the addresses of
the same page in the other languages."""

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.urls import get_script_prefix
from django.utils import translation
from wagtail.models import Locale

from profiles_module.common.page_links import remembered


def current_language():
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


@cache
def _prefixed_urls(urlconf):
    return is_language_prefix_patterns_used(urlconf)


def language_links(request, page=None):
    """[{code, name, url, current}] for each of the site's languages: this page in that
    language, with the same query (a search keeps its criteria).

    The address is the request's own with the language prefix changed (the host's URLs
    use `i18n_patterns` without a prefix for the default language), inside the embed
    prefix if any; a Wagtail page whose translation has another slug gives that
    translation's address. Empty when the host does not prefix its URLs by language.
    """
    used, prefix_default = _prefixed_urls(getattr(request, "urlconf", settings.ROOT_URLCONF))
    if not used:
        return []
    path = request.path_info
    prefix = translation.get_language_from_path(path)
    rest = path.removeprefix(f"/{prefix}") if prefix else path
    # The criteria of a search are kept; a fiche's "back" link, which names a page in
    # the current language and is only checked by the view it is given to, is not.
    params = request.GET.copy()
    params.pop("back", None)
    query = params.urlencode()
    current = current_language()
    translations = translation_urls(request, page)
    links = []
    for code, _name in settings.LANGUAGES:
        url = translations.get(code)
        if url is None:
            language_prefix = "" if code == settings.LANGUAGE_CODE and not prefix_default else code
            url = get_script_prefix() + "/".join(filter(None, [language_prefix, rest.lstrip("/")]))
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"].capitalize(),
                "url": url + (f"?{query}" if query else ""),
                "current": code == current,
            }
        )
    return links


def translation_urls(request, page):
    """{language: page_url(…)} of this request's page, from the shared cache."""
    if not hasattr(page, "get_translation_or_none"):
        return {}
    return remembered(
        ("translations", page.pk, request.get_host(), request.path, get_script_prefix()),
        lambda: {code: page_url(request, page, code) for code, _name in settings.LANGUAGES},
        in_process=True,
    )


def page_url(request, page, language):
    """The address of the live translation in `language` of the Wagtail page this
    request shows, or None (not a page, or a view that only names one, like a fiche
    naming its map page)."""
    if not hasattr(page, "get_translation_or_none"):
        return None
    own = page.get_url(request=request)
    if not own or urlsplit(own).path != request.path:
        return None
    locale = Locale.objects.filter(language_code=language).first()
    found = page.get_translation_or_none(locale) if locale is not None else None
    if found is None or not found.live:
        return None
    return found.get_url(request=request)
