"""Small `make_*` helpers that build valid objects; tests change only what they test."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from home.models import HomePage
from profiles_module.models import Commune, Profile, Sector
from profiles_module.models.geography import Departement, Region
from profiles_module.models.pages import MapPage, StatisticsPage
from profiles_module.publication import tokens


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


def make_map_page(title="Trouver des futurs voisins", *, regions=(), departements=(), **fields):
    """A published map page under the home page, limited to `regions` and `departements`
    (codes) if given."""
    home = HomePage.objects.first()
    page = MapPage(title=title, **fields)
    home.add_child(instance=page)
    page.regions.set(Region.objects.filter(code__in=regions))
    page.departements.set(Departement.objects.filter(code__in=departements))
    page.save_revision().publish()
    return page


def make_statistics_page(title="Les chiffres", *, regions=(), departements=(), **fields):
    """A published statistics page under the home page, limited to `regions` and
    `departements` (codes) if given."""
    home = HomePage.objects.first()
    page = StatisticsPage(title=title, **fields)
    home.add_child(instance=page)
    page.regions.set(Region.objects.filter(code__in=regions))
    page.departements.set(Departement.objects.filter(code__in=departements))
    page.save_revision().publish()
    return page


def make_fiche(number, sectors, **fields):
    """Published fiche number `number` (its own name and address) whose wished sectors
    are `sectors`: ("commune", INSEE code), ("departement", code) or ("region", code)."""
    profile = make_profile(
        public_name=f"Foyer {number}", email=f"foyer{number}@example.org", save=False, **fields
    )
    places = {"departement": Departement, "region": Region}
    profile.sectors = [
        Sector(kind=kind, commune=Commune.objects.get(insee_code=code), radius_km=10)
        if kind == "commune"
        else Sector(kind=kind, **{kind: places[kind].objects.get(code=code)})
        for kind, code in sectors
    ]
    profile.full_clean()
    profile.save()
    return profile


def publish_form_data(**overrides):
    """A valid submission: one sector around Saint-Étienne."""
    commune = Commune.objects.get(insee_code="42218")
    data = {
        "profile_kind": "household",
        "public_name": "Dominique",
        "composition": "couple",
        "adults": "2",
        "children": "0",
        "presentation": "Nous cherchons un habitat partagé.",
        "email": "dominique@example.org",
        "publication_consent": "on",
        "sectors-TOTAL_FORMS": "3",
        "sectors-INITIAL_FORMS": "0",
        "sectors-MIN_NUM_FORMS": "1",
        "sectors-MAX_NUM_FORMS": "3",
        "sectors-0-kind": "commune",
        "sectors-0-commune": str(commune.pk),
        "sectors-0-radius_km": "10",
        "sectors-0-ORDER": "1",
        "sectors-1-kind": "commune",
        "sectors-1-radius_km": "10",
        "sectors-1-ORDER": "2",
        "sectors-2-kind": "commune",
        "sectors-2-radius_km": "10",
        "sectors-2-ORDER": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def manage_link(profile, now=None):
    return reverse("profiles_module:owner_link", args=[tokens.issue(profile, "manage", now=now)])


def edit_form_data(profile, **changes):
    sector = profile.sectors.first()
    data = {
        "profile_kind": profile.profile_kind,
        "public_name": profile.public_name,
        "composition": profile.composition,
        "adults": profile.adults,
        "children": profile.children,
        "sectors-TOTAL_FORMS": "3",
        "sectors-INITIAL_FORMS": "1",
        "sectors-MIN_NUM_FORMS": "1",
        "sectors-MAX_NUM_FORMS": "3",
        "sectors-0-id": sector.pk,
        "sectors-0-kind": "commune",
        "sectors-0-commune": sector.commune_id,
        "sectors-0-radius_km": "10",
        "sectors-0-ORDER": "1",
        "sectors-1-kind": "commune",
        "sectors-1-radius_km": "10",
        "sectors-1-ORDER": "2",
        "sectors-2-kind": "commune",
        "sectors-2-radius_km": "10",
        "sectors-2-ORDER": "3",
    }
    data.update(changes)
    return data


def make_member(group, username):
    """A user in `group` (a partner's, or another admin group)."""
    user = get_user_model().objects.create_user(username, f"{username}@example.net", "pw")
    user.groups.add(group)
    return user
