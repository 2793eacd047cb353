"""Whole map pages, kept in the shared cache for browsers that send no cookie.

A visitor's first map page, and every live search after it (search-live.js fetches the
page itself), cost a worker some twenty milliseconds of Django, Wagtail and templates even
once their parts (counts, cards, lists of choices, routes) came from caches: the larger
part of what the visitor then waited for. A browser that sends no cookie has no session,
no signed-in editor, no message waiting and no form token, so every such browser gets
the same page for the same site, address and language: it is rendered once and kept.

Its key holds every version the page is made from (the fiches, the page tree, the
partners, the lists of choices, the projects, the count squares a page without criteria
brings), the static files' manifest and the code that renders it (deployed_code): a fiche
published or withdrawn, a page edited, projects imported, a zoom's squares counted, new
static files or new templates deployed give new keys at once, as for the page's parts.

Never kept: a request with a cookie, an embedded page (its <style> carries the request's
CSP nonce), an answer other than the search's 200 (a view restriction's form), one that
sets a cookie or that the browser itself may not keep. Previews never come this way:
Wagtail serves them without its on_serve_page chain.
"""

import hashlib
from functools import cache as once
from pathlib import Path

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from profiles_module.common.page_links import PUBLISHED_PAGES
from profiles_module.common.sites import request_site
from profiles_module.common.versions import CHOICE_LISTS, SEARCHED_FICHES
from profiles_module.conf import app_settings
from profiles_module.models import MapPage
from profiles_module.models.partners import PARTNERS_VERSION
from profiles_module.models.projects import PROJECTS_VERSION
from profiles_module.partners.embed import is_embedded
from profiles_module.search.query import PAGE_CELLS

PAGE_VERSIONS = (
    SEARCHED_FICHES,
    PUBLISHED_PAGES,
    PARTNERS_VERSION,
    CHOICE_LISTS,
    PROJECTS_VERSION,
    PAGE_CELLS,
)
# Cache-Control's words for an answer meant for one browser only.
NOT_FOR_SHARING = ("private", "no-cache", "no-store")

# Changed when a setting changes (a test's override_settings): the page depends on them.
_settings_generation = 0


def settings_changed(**kwargs):
    global _settings_generation
    _settings_generation += 1


@once
def deployed_code():
    """A hash of the site's templates and of this app's code and translations as this
    process found them: a deploy that changes the page's templates, views or texts but no
    static file starts processes whose pages have new keys, rather than serving the pages
    the old code kept until they expire. By content, so that every machine of a site
    gives the same. Installed packages are left out (read once per process, some
    thousands of files): their templates come with their static files."""
    import sysconfig

    from django.template import engines

    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(__file__).resolve().parent.parent  # profiles_module, wherever it is
    folders = {package}
    for engine in engines.all():
        # The package's own templates are read with the package, not a second time.
        folders.update(
            folder
            for folder in map(Path, engine.template_dirs)
            if not folder.resolve().is_relative_to(installed)
            and not folder.resolve().is_relative_to(package)
        )
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt", ".py", ".mo"} and path.is_file():
                digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def shared_page_key(request, page):
    """The key of this request's page when every cookie-less browser gets the same page,
    else None."""
    if request.method != "GET" or request.COOKIES or is_embedded(request):
        return None
    site = request_site(request)
    name = repr(
        (
            *(version.current() for version in PAGE_VERSIONS),
            getattr(staticfiles_storage, "manifest_hash", ""),
            deployed_code(),
            _settings_generation,
            page.pk,
            site.pk if site else None,
            request.scheme,
            request.get_host(),
            get_language(),
            request.get_full_path(),
        )
    ).encode()
    return f"profiles_module:map-page:{hashlib.sha256(name).hexdigest()}"


def kept_for_the_next_browser(response):
    """Whether the map page's own answer is worth keeping: not a view restriction's
    password form, nor an answer the browser may not keep; a page without criteria only
    once it brings the count squares (kept without, each next visitor's map would ask
    for them until it expires, though the first one's had them counted)."""
    context = getattr(response, "context_data", None) or {}
    return (
        response.status_code == 200
        and not response.cookies
        and "map_options" in context
        and not any(word in response.get("Cache-Control", "") for word in NOT_FOR_SHARING)
        and bool(context["active_filters"] or context["map_options"]["cells"])
    )


def serve_kept_map_page(serve):
    """Wagtail's on_serve_page hook, outermost: a map page kept for browsers without
    cookies is answered before anything else, Wagtail's view restrictions included: a
    kept page was rendered for a browser without a session, so it had none, and
    restricting a page replaces the page tree's version, which its key holds."""

    def serve_or_keep(page, request, args, kwargs):
        seconds = app_settings.MAP_PAGE_CACHE_SECONDS
        key = shared_page_key(request, page) if seconds and isinstance(page, MapPage) else None
        if key is None:
            return serve(page, request, args, kwargs)
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = serve(page, request, args, kwargs)
            # Not when the search was answered from the fiches' state before a change
            # while the new one was being read (facets.choice_sets): its key then names
            # that state, not the one the page would be kept under.
            if kept_for_the_next_browser(response) and shared_page_key(request, page) == key:
                cache.set(key, (response["Content-Type"], response.content), seconds)
        # As for the page built here: another page answers a browser that sends cookies.
        patch_vary_headers(response, ("Cookie",))
        return response

    return serve_or_keep
