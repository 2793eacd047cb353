"""The places and options copied into each fiche's row for the search's counts follow
every change of what they are made of, and the counts take the same number of queries
whatever the search."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from profiles_module.geography.loader import load_geography
from profiles_module.models import Departement, Profile, ProfileOption, Region, Sector
from profiles_module.models.facets import FACET_FIELDS, facets_of
from profiles_module.search.facets import count_choices
from profiles_module.search.filters import ProfileFilterSet
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def stored(profile):
    return Profile.objects.values(*FACET_FIELDS).get(pk=profile.pk)


def option(category, slug):
    return ProfileOption.objects.get_or_create(
        category=category, slug=slug, defaults={"label": slug}
    )[0]


def test_a_new_fiche_holds_its_departement_region_and_options():
    ecology = option(ProfileOption.Category.VALUE, "ecology")
    profile = make_profile(commune="42218", save=False)  # Saint-Étienne, Loire
    profile.values.set([ecology])
    profile.save()
    assert stored(profile) == {
        "facet_departements": " 42 ",
        "facet_regions": " 84 ",
        "facet_project_kinds": "",
        "facet_steps": "",
        "facet_values": f" {ecology.pk} ",
    }


def test_a_region_sector_counts_in_each_of_its_departements():
    profile = make_profile(commune="42218")
    profile.sectors.add(Sector(kind="region", region=Region.objects.get(code="11")))
    profile.save()
    columns = stored(profile)
    ile_de_france = Departement.objects.filter(region__code="11").values_list("code", flat=True)
    assert columns["facet_departements"].split() == sorted(["42", *ile_de_france])
    assert columns["facet_regions"] == " 11 84 "


def test_changing_the_options_of_a_fiche_changes_its_columns():
    renovation = option(ProfileOption.Category.PROJECT_KIND, "renovation")
    training = option(ProfileOption.Category.STEP, "training")
    profile = make_profile()
    profile.project_kinds.set([renovation])
    profile.steps.set([training])
    profile.save()
    assert stored(profile)["facet_project_kinds"] == f" {renovation.pk} "
    assert stored(profile)["facet_steps"] == f" {training.pk} "
    profile.project_kinds.set([])
    profile.save(update_fields=["project_kinds"])
    assert stored(profile)["facet_project_kinds"] == ""


def test_a_sector_saved_or_deleted_on_its_own_changes_its_fiche():
    profile = make_profile(commune="42218")
    sector = profile.sectors.get()
    sector.kind, sector.commune = "departement", None
    sector.departement = Departement.objects.get(code="69")
    sector.save()
    assert stored(profile)["facet_departements"] == " 69 "
    Sector.objects.create(profile=profile, kind="region", region=Region.objects.get(code="53"))
    assert stored(profile)["facet_regions"] == " 53 84 "
    sector.delete()
    assert stored(profile)["facet_regions"] == " 53 "
    Sector.objects.filter(profile=profile).delete()
    assert stored(profile)["facet_departements"] == stored(profile)["facet_regions"] == ""


def test_a_deleted_option_leaves_the_columns():
    ecology = option(ProfileOption.Category.VALUE, "ecology")
    profile = make_profile(save=False)
    profile.values.set([ecology])
    profile.save()
    assert stored(profile)["facet_values"] == f" {ecology.pk} "
    ecology.delete()
    assert stored(profile)["facet_values"] == ""


def test_a_departement_moved_to_another_region_by_the_geography_moves_its_fiches(tmp_path):
    """load_geography puts the département back in its région: the fiche of a région
    sector that held it no longer counts in it, that of the right région does."""
    loire = Departement.objects.get(code="42")
    Departement.objects.filter(pk=loire.pk).update(region=Region.objects.get(code="11"))
    Sector.objects.refresh_territories()
    in_ile_de_france = make_profile(commune="75056")
    in_ile_de_france.sectors.add(Sector(kind="region", region=Region.objects.get(code="11")))
    in_ile_de_france.save()
    assert "42" in stored(in_ile_de_france)["facet_departements"].split()
    in_loire = make_profile(commune="42218", email="loire@example.org")
    assert stored(in_loire)["facet_regions"] == " 11 "

    load_geography()

    assert "42" not in stored(in_ile_de_france)["facet_departements"].split()
    assert stored(in_loire)["facet_regions"] == " 84 "


def test_the_demo_fiches_hold_their_columns():
    call_command(
        "seed_demo", "--profiles", "30", "--seed", "3", stdout=io.StringIO(), stderr=io.StringIO()
    )
    pks = list(Profile.objects.values_list("pk", flat=True))
    expected = facets_of(Profile, Sector, pks)
    assert {pk: stored(Profile(pk=pk)) for pk in pks} == expected
    assert all(columns["facet_departements"] for columns in expected.values())


def test_the_fiches_are_read_once_then_any_search_is_counted_without_a_query(
    django_assert_num_queries, django_assert_max_num_queries
):
    ecology = option(ProfileOption.Category.VALUE, "ecology")
    profile = make_profile(tenure="cooperative", save=False)
    profile.values.set([ecology])
    profile.save()
    option(ProfileOption.Category.PROJECT_KIND, "renovation")
    option(ProfileOption.Category.STEP, "training")

    def search(data):
        filterset = ProfileFilterSet(QueryDict(data))
        assert filterset.is_valid(), filterset.errors
        return filterset

    nothing = search("")
    with django_assert_num_queries(1):  # the sets of fiches of every choice
        count_choices(nothing)
    for data in [
        "tenure=cooperative",
        "tenure=cooperative&value=ecology&age=30_44",
        "kind=household&departement=42&region=84&project=renovation&step=training"
        "&horizon=1_3&role=create&children=1&place=no&confirmed=6&social_housing=yes"
        "&financing=20k_75k&composition=couple&setting=rural",
    ]:
        filterset = search(data)
        with django_assert_num_queries(0):
            count_choices(filterset)
    # The fiches that words leave are read as ids (after the search engine's own).
    words = search("q=jardin&tenure=cooperative")
    with django_assert_max_num_queries(3):
        count_choices(words)
    # A changed fiche: read again, once.
    profile.tenure = "rental"
    profile.save()
    households = search("kind=household")
    with django_assert_num_queries(1):
        assert count_choices(households)["tenure"]["rental"] == 1
    rentals = search("tenure=rental")
    with django_assert_num_queries(0):
        count_choices(rentals)


def test_a_search_that_finds_nothing_counts_nothing():
    make_profile(tenure="rental")
    filterset = ProfileFilterSet(QueryDict("tenure=cooperative&setting=rural&departement=75"))
    assert filterset.is_valid(), filterset.errors
    counts = count_choices(filterset)
    assert counts["tenure"] == dict.fromkeys(counts["tenure"], 0)
    assert not any(counts["region"].values())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="an index with its own columns: PostgreSQL's"
)
@pytest.mark.parametrize(
    "data",
    [
        "",
        "kind=household&departement=42&region=84&value=ecology&horizon=1_3&role=create"
        "&children=1&place=no&confirmed=6&social_housing=yes&financing=20k_75k"
        "&composition=couple&setting=rural&tenure=cooperative&age=30_44",
    ],
)
def test_the_counts_and_the_number_of_results_read_only_the_index_of_live_fiches(data):
    """Every column they read is in that index, so PostgreSQL can answer them without
    reading one fiche's row (an index-only scan: 14 MB rather than 110 at 100,000)."""
    option(ProfileOption.Category.VALUE, "ecology")
    make_profile(commune="42218")
    filterset = ProfileFilterSet(QueryDict(data))
    assert filterset.is_valid(), filterset.errors
    with CaptureQueriesContext(connection) as queries:
        count_choices(filterset)  # the fiche just saved: its sets are read again
        filterset.qs.count()
    counting = [q["sql"] for q in queries if "profiles_module_profile" in q["sql"]]
    assert len(counting) == 2
    read = set(re.findall(r'"profiles_module_profile"\."(\w+)"', " ".join(counting)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, pg_get_expr(indpred, indrelid) FROM pg_index "
            "JOIN pg_class ON pg_class.oid = indexrelid "
            "JOIN pg_attribute ON attrelid = indexrelid "
            "WHERE relname = 'profile_live_counted_idx'"
        )
        rows = cursor.fetchall()
    assert {predicate for _column, predicate in rows} == {"live"}
    indexed = {column for column, _predicate in rows}
    assert "live" in read and "profile_kind" in read
    assert read - {"live"} <= indexed, f"not in the index: {read - {'live'} - indexed}"
