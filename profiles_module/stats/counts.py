"""How many published fiches a territory holds, from the shared cache: a figure for the
public, never small enough to point at a household."""

import hashlib

from django.core.cache import cache

from profiles_module.models import Profile
from profiles_module.models.territory import in_places

# Below this, a count in a small place with a filter could name a household: the public
# sees "fewer than" instead.
SMALLEST_SHOWN = 5
CACHE_SECONDS = 10 * 60


def count_profiles(*, region_codes=(), departement_codes=(), profile_kind="", tenure=""):
    """Published fiches with a sector in one of these places (all of France when none),
    of this kind and wishing this tenure (any when empty). Kept ten minutes in the shared
    cache."""
    region_codes, departement_codes = sorted(region_codes), sorted(departement_codes)
    wanted = f"{region_codes}|{departement_codes}|{profile_kind}|{tenure}"
    key = "profiles_module:count:" + hashlib.sha256(wanted.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        profiles = Profile.objects.public()
        if region_codes or departement_codes:
            profiles = profiles.filter(in_places(departement_codes, region_codes))
        if profile_kind:
            profiles = profiles.filter(profile_kind=profile_kind)
        if tenure:
            profiles = profiles.filter(tenure=tenure)
        found = profiles.count()
        cache.set(key, found, CACHE_SECONDS)
    return found
