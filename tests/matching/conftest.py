import pytest

from profiles_module.models import Commune, Departement, ProfileOption, Region, Sector
from tests.factories import make_profile


def options(category, *slugs):
    return list(ProfileOption.objects.filter(category=category, slug__in=slugs))


@pytest.fixture
def fiche():
    """make a published fiche: fiche("Name", sectors=[("commune", "42218", 10)], kinds=[…],
    values=[…], **fields). Composition "other" (no preference) unless given, so that a
    case scores only what it sets."""
    counter = iter(range(1, 10_000))

    def make(name, *, sectors=(("commune", "42218", 10),), kinds=(), values=(), **fields):
        number = next(counter)
        defaults = {"composition": "other", "email": f"fiche{number}@example.org"}
        profile = make_profile(public_name=name, save=False, **(defaults | fields))
        built = []
        for kind, code, *radius in sectors:
            if kind == "commune":
                built.append(
                    Sector(
                        kind=kind,
                        commune=Commune.objects.get(insee_code=code),
                        radius_km=radius[0] if radius else 10,
                    )
                )
            else:
                model = {"departement": Departement, "region": Region}[kind]
                built.append(Sector(kind=kind, **{kind: model.objects.get(code=code)}))
        profile.sectors = built
        profile.full_clean()
        profile.save()
        if kinds or values:
            profile.project_kinds.set(options("project_kind", *kinds))
            profile.values.set(options("value", *values))
            profile.save()
        return profile

    return make
