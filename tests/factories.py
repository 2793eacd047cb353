"""Small `make_*` helpers that build valid objects; tests change only what they test."""

from django.utils import timezone

from profiles_module.models import Commune, Profile, Sector


def make_profile(*, commune="42218", radius_km=10, save=True, **fields):
    """A valid, published household profile with one sector around `commune` (INSEE code)."""
    values = {
        "public_name": "Camille",
        "composition": "couple",
        "adults": 2,
        "children": 0,
        "email": "camille@example.org",
        "publication_consent_at": timezone.now(),
        "live": True,
    } | fields
    profile = Profile(**values)
    profile.sectors = [
        Sector(
            kind=Sector.Kind.COMMUNE,
            commune=Commune.objects.get(insee_code=commune),
            radius_km=radius_km,
        )
    ]
    if save:
        profile.full_clean()
        profile.save()
    return profile
