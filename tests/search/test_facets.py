"""The number of fiches next to each choice of the search form: checked against a
brute-force count (the search run again with that choice alone for its criterion), for
every counted criterion, alone and combined with others."""

import random
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from profiles_module.common.versions import SEARCHED_FICHES
from profiles_module.models import Departement, Profile, ProfileOption, Region, Sector
from profiles_module.models.profiles import (
    AgeBand,
    Composition,
    FinancingBand,
    Horizon,
    ProfileKind,
    Role,
    Setting,
    Tenure,
)
from profiles_module.models.territory import Territory
from profiles_module.search.facets import (
    COUNTED,
    facet_counts,
    found_newest_first,
    search_counts,
)
from profiles_module.search.filters import ProfileFilterSet
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

COMMUNES = ["42218", "69123", "38185", "75056"]
TEXTS = ["Un grand jardin partagé.", "Une maison en ville.", "Jardin et atelier, vélo."]


OPTIONS = {
    ProfileOption.Category.PROJECT_KIND: ["new_build", "renovation", "ecohamlet"],
    ProfileOption.Category.VALUE: ["ecology", "solidarity", "sharing"],
    ProfileOption.Category.STEP: ["in_touch", "training", "land_identified"],
}


@pytest.fixture
def fiches():
    """Sixty fiches with every counted criterion drawn at random (the same every run)."""
    draw = random.Random(7)
    # The options a migration adds, again if a transactional test emptied the tables.
    options = {
        category: [
            ProfileOption.objects.get_or_create(
                category=category, slug=slug, defaults={"label": slug}
            )[0]
            for slug in slugs
        ]
        for category, slugs in OPTIONS.items()
    }
    for number in range(60):
        adults = draw.randint(1, 3)
        profile = make_profile(
            commune=draw.choice(COMMUNES),
            public_name=f"Foyer {number}",
            email=f"foyer{number}@example.org",
            presentation=draw.choice(TEXTS),
            profile_kind=draw.choice(ProfileKind.values),
            composition=draw.choice(Composition.values),
            adults=adults,
            children=draw.choice([0, 0, 1, 2]),
            place_identified=draw.random() < 0.3,
            social_housing_eligible=draw.choice([True, False, None]),
            age_bands=draw.sample(AgeBand.values, draw.randint(0, adults)),
            setting=draw.choice([*Setting.values, ""]),
            tenure=draw.choice([*Tenure.values, ""]),
            horizon=draw.choice([*Horizon.values, ""]),
            role=draw.choice([*Role.values, ""]),
            financing_band=draw.choice(FinancingBand.values),
            financing_public=draw.random() < 0.5,
        )
        for category, relation in [
            (ProfileOption.Category.PROJECT_KIND, profile.project_kinds),
            (ProfileOption.Category.VALUE, profile.values),
            (ProfileOption.Category.STEP, profile.steps),
        ]:
            relation.set(draw.sample(options[category], draw.randint(0, 3)))
        # A second sector of another kind for some: a région holding the commune's
        # département (the fiche must count once there), a département, a far région.
        extra = draw.choice(
            [
                None,
                None,
                Sector(kind="region", region=Region.objects.get(code="84")),
                Sector(kind="departement", departement=Departement.objects.get(code="69")),
                Sector(kind="region", region=Region.objects.get(code="11")),
            ]
        )
        if extra is not None:
            profile.sectors.add(extra)
        profile.save()  # ParentalManyToManyField: kept in memory until then


def search(data):
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values if isinstance(values, list) else [values])
    return ProfileFilterSet(query)


def brute_force(data, name, choice):
    """Fiches found by the search with `choice` alone for criterion `name`."""
    return search({**data, name: [choice]}).qs.count()


SEARCHES = [
    {},
    {"tenure": ["cooperative"]},
    {"tenure": ["cooperative", "rental"], "setting": ["rural"]},
    {"kind": ["household"], "project": ["ecohamlet"]},
    {"age": ["30_44", "60_74"], "composition": ["couple", "family"]},
    {"commune": "42218", "km": "20", "horizon": ["1_3"]},
    {"q": "jardin", "role": ["create"]},
    {"financing": ["20k_75k"], "value": ["ecology"]},
    {"step": ["training"], "tenure": ["ownership"], "kind": ["group", "resident"]},
    {"departement": ["42"], "children": "1", "place": "no"},
    {"region": ["84"], "confirmed": "3", "social_housing": "yes"},
]


@pytest.mark.parametrize("data", SEARCHES, ids=lambda data: "&".join(data) or "nothing")
def test_each_choice_counts_what_the_search_would_find_with_it(fiches, data):
    filterset = search(data)
    results, counts = search_counts(filterset)
    assert results == filterset.qs.count()
    assert set(counts) == set(COUNTED)
    checked = 0
    for name, by_choice in counts.items():
        for choice, _label in filterset.filters[name].extra["choices"]:
            expected = brute_force(data, name, str(choice))
            assert by_choice.get(str(choice), 0) == expected, (name, choice)
            checked += expected
    assert checked > 0  # the data exercises the counts


def test_counts_exclude_their_own_criterion_only(fiches):
    """Ticking a tenure does not change the tenures' counts, but every other one's."""
    everything = facet_counts(search({}))
    cooperative = facet_counts(search({"tenure": ["cooperative"]}))
    assert cooperative["tenure"] == everything["tenure"]
    assert sum(cooperative["kind"].values()) == everything["tenure"]["cooperative"]


def test_hidden_contributions_are_never_counted():
    make_profile(financing_band="20k_75k", financing_public=False)
    make_profile(financing_band="20k_75k", financing_public=True, email="b@example.org")
    counts = facet_counts(search({}))["financing"]
    assert {band: count for band, count in counts.items() if count} == {"20k_75k": 1}


def test_the_map_page_shows_the_counts_and_dims_empty_choices(client, fiches, map_page):
    html = client.get(map_page.url, {"tenure": "cooperative"}).content.decode()
    shown = re.findall(
        r'<div( class="fv-choice--none")?>\s*<label for="id_kind_\d+"><input type="checkbox" '
        r'name="kind" value="(\w+)"[^>]*> [^<]+ <span class="fv-choice__count">\((\d+)\)',
        html,
    )
    counts = facet_counts(search({"tenure": ["cooperative"]}))["kind"]
    assert [(value, int(count)) for _dim, value, count in shown] == [
        (kind, counts.get(kind, 0)) for kind in ProfileKind.values
    ]
    assert [value for dim, value, _count in shown if dim] == [
        kind for kind in ProfileKind.values if not counts.get(kind)
    ]


def test_the_counts_take_a_fixed_number_of_queries(client, map_page):
    def queries_for(search):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(map_page.url, search)
        return len(queries)

    data = {"tenure": "cooperative", "value": "ecology", "age": "30_44"}
    make_profile()
    few = queries_for(data)
    for number in range(30):
        make_profile(email=f"n{number}@example.org", tenure="cooperative")
    assert queries_for(data) == few


def test_the_selects_say_how_many_each_choice_would_find(client, fiches, map_page):
    """Départements, régions and the yes/no criteria are selects: each option ends with
    its count, and "any" with none."""
    html = client.get(map_page.url, {"region": "84"}).content.decode()
    counts = facet_counts(search({"region": ["84"]}))
    loire = counts["departement"]["42"]
    assert loire > 0
    assert f'<option value="42">Loire (42) – {loire} fiches</option>' in html
    assert '<option value="" selected>indifférent</option>' in html  # no count for "any"
    outside = counts["region"]["11"]
    assert re.search(rf'<option value="11">Île-de-France – {outside} fiches?</option>', html)


@pytest.mark.parametrize(
    ("regions", "departements", "kinds"),
    [(["84"], [], None), ([], ["75", "42"], None), (["84"], ["75"], ["household", "group"])],
)
def test_a_page_on_a_territory_and_kinds_counts_only_its_fiches(
    fiches, regions, departements, kinds
):
    territory = Territory(
        tuple(Region.objects.filter(code__in=regions).values_list("pk", flat=True)),
        tuple(Departement.objects.filter(code__in=departements).values_list("pk", flat=True)),
    )
    for data in [{}, {"tenure": ["cooperative"], "setting": ["rural"]}]:
        query = QueryDict(mutable=True)
        for name, values in data.items():
            query.setlist(name, values)
        filterset = ProfileFilterSet(query, territory=territory, kinds=kinds)
        results, counts = search_counts(filterset)
        assert 0 < results == filterset.qs.count() < 60
        for name, by_choice in counts.items():
            for choice in by_choice:
                query = QueryDict(mutable=True)
                for other, values in {**data, name: [choice]}.items():
                    query.setlist(other, values)
                alone = ProfileFilterSet(query, territory=territory, kinds=kinds)
                assert by_choice[choice] == alone.qs.count(), (name, choice)


def test_pages_of_results_taken_from_the_sets_are_the_pages_sql_orders(fiches):
    """Newest first, pages are read from the sets' highest bits: every page of every
    search, the last and a partial one too, holds the fiches SQL's ORDER BY puts there,
    with creation dates out of the order of the ids."""
    draw = random.Random(3)
    for profile in Profile.objects.all():
        Profile.objects.filter(pk=profile.pk).update(
            created_at=profile.created_at - timedelta(days=draw.randint(0, 40))
        )
    SEARCHED_FICHES.replace()  # update() sends no signal
    for data in SEARCHES:
        filterset = search(data)
        expected = list(filterset.qs.values_list("id", flat=True))
        found = found_newest_first(filterset, Profile.objects.public().values("id"))
        paginator = Paginator(found, 7)
        assert paginator.count == len(expected)
        pages = [[row["id"] for row in paginator.page(number)] for number in paginator.page_range]
        assert pages == [expected[start : start + 7] for start in range(0, len(expected), 7)]
    assert found_newest_first(search({"sort": "confirmed"}), Profile.objects.values("id")) is None
