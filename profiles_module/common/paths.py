"""The public path of a fiche (/…/fiches/<uid>/<slug>/), built without reverse()
for each of the hundreds of fiches a page or an API response links to."""

import functools
import uuid

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify
from django.utils.translation import get_language


def profile_path(profile):
    return profile_page_path(profile.uid, profile.public_name)


# Stand-ins for reverse() (any valid uid and slug that occur nowhere else in the path).
PATH_UID = uuid.UUID(int=0)


PATH_SLUG = "fv-profile-slug"


@functools.lru_cache(maxsize=32)
def profile_path_parts(script_prefix, urlconf, language):
    """The profile page's path around its uid and slug, for this prefix, URLconf and
    language (/en/… in English)."""
    path = reverse(
        "profiles_module:profile_detail",
        kwargs={"uid": PATH_UID, "slug": PATH_SLUG},
        urlconf=urlconf,
    )
    before, _uid, rest = path.partition(str(PATH_UID))
    middle, _slug, after = rest.partition(PATH_SLUG)
    return before, middle, after


def profile_page_path(uid, name):
    """/…/fiches/<uid>/<slug>/: reverse() once, then text (a map or an API page holds up
    to a thousand profiles, and reverse() took as long as the rest of a result). Uids and
    slugs need no quoting, so the path is the one reverse() gives."""
    before, middle, after = profile_path_parts(get_script_prefix(), get_urlconf(), get_language())
    return f"{before}{uid}{middle}{profile_slug(name)}{after}"


def profile_slug(name):
    return slugify(name)[:50] or "fiche"
