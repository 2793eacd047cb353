"""Addresses of published pages that every page shows in its frame (the language switch,
the footer's legal pages), kept in the shared cache until the page tree changes.

Worked out on each request they asked the page tree a dozen times, a third of a map
page's time in Django. A page published, unpublished, moved, renamed, restricted or
deleted, or a site changed, replaces the version their keys carry (wired in apps.py).
"""

from wagtail.models import Page

from profiles_module.common.versions import CacheVersion

PUBLISHED_PAGES = CacheVersion("profiles_module:pages:version")
# Only a change missed by the signals (a raw SQL update) waits this long.
CACHE_SECONDS = 60 * 60


def remembered(parts, compute, *, in_process=False):
    """compute(), kept under these key parts until the page tree changes (in_process: as
    CacheVersion.remembered says)."""
    return PUBLISHED_PAGES.remembered(parts, compute, CACHE_SECONDS, in_process=in_process)


def page_saved(sender, instance, **kwargs):
    """post_save of any model: a page saved while live may have a new title or address."""
    if isinstance(instance, Page) and instance.live:
        PUBLISHED_PAGES.forget()
