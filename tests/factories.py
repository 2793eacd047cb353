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


def make_partner(*, slug="loire", departements=("42",), regions=(), **fields):
    """A partner association covering `departements` (codes) and `regions` (codes)."""
    from profiles_module.models import Departement, Partner, Region

    values = {
        "name": "Habitat participatif Loire",
        "colour": "#8a2d1d",
        "allowed_origins": "https://www.habitat-loire.example",
        "contact_email": "contact@habitat-loire.example",
    } | fields
    partner = Partner.objects.create(slug=slug, **values)
    partner.departements.set(Departement.objects.filter(code__in=departements))
    partner.regions.set(Region.objects.filter(code__in=regions))
    partner.save()
    return partner
