"""The count block: published fiches per territory and kind, cached, never small enough
to point at a household; on the home page of the demo in place of a fixed sentence."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from home.models import ContentPage
from profiles_module.blocks import ProfileCountBlock
from profiles_module.models import Profile
from profiles_module.stats.counts import count_profiles
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def counted(html):
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<p class="fv-count">(.*?)</p>', html, re.S)
    ]


@pytest.fixture
def fiches():
    """Six households around Saint-Étienne (Loire, 42), a group there, one in Paris, a draft."""
    for n in range(6):
        make_profile(public_name=f"Foyer {n}", email=f"foyer{n}@example.org", commune="42218")
    make_profile(public_name="Groupe", email="groupe@example.org", profile_kind="group")
    make_profile(public_name="Parisien", email="paris@example.org", commune="75056")
    make_profile(public_name="Brouillon", email="brouillon@example.org", live=False)


@pytest.mark.parametrize(
    ("where", "kind", "expected"),
    [
        ({}, "", 8),  # all of France, every published kind; the draft is not counted
        ({"departement_codes": ["42"]}, "", 7),
        ({"region_codes": ["84"]}, "", 7),  # Auvergne-Rhône-Alpes holds the Loire
        ({"region_codes": ["11"]}, "", 1),  # Île-de-France
        ({"departement_codes": ["42"]}, "group", 1),
        ({"departement_codes": ["42"]}, "household", 6),
        ({"departement_codes": ["42", "75"]}, "", 8),
    ],
)
def test_counts_per_territory_and_kind(fiches, where, kind, expected):
    assert count_profiles(**where, profile_kind=kind) == expected


def test_counts_of_one_tenure(fiches):
    Profile.objects.filter(public_name__in=["Foyer 0", "Foyer 1", "Parisien"]).update(
        tenure="cooperative"
    )
    assert count_profiles(tenure="cooperative") == 3
    assert count_profiles(departement_codes=["42"], tenure="cooperative") == 2
    assert count_profiles(departement_codes=["42"], tenure="rental") == 0
    for n in range(2, 6):
        Profile.objects.filter(public_name=f"Foyer {n}").update(tenure="cooperative")
    cache.clear()
    assert counted(render({"departements": ["42"], "tenure": "cooperative"})) == [
        "<strong>6</strong> foyers cherchent un habitat participatif en Loire. "
        "Statut d'occupation souhaité : coopérative d&#x27;habitants."
    ]


def test_counts_are_kept_ten_minutes_in_the_shared_cache(fiches):
    assert count_profiles(departement_codes=["42"]) == 7
    make_profile(public_name="Nouveau", email="nouveau@example.org", commune="42218")
    assert count_profiles(departement_codes=["42"]) == 7
    cache.clear()
    assert count_profiles(departement_codes=["42"]) == 8


def render(value):
    block = ProfileCountBlock()
    return block.render(block.to_python(value))


def test_the_sentence_says_the_count_and_the_place_in_french(fiches):
    assert counted(render({"regions": ["84"]})) == [
        "<strong>7</strong> foyers cherchent un habitat participatif en Auvergne-Rhône-Alpes."
    ]
    assert counted(render({"departements": ["42"], "place": "dans la Loire"})) == [
        "<strong>7</strong> foyers cherchent un habitat participatif dans la Loire."
    ]
    assert counted(render({"departements": ["42", "43"], "profile_kind": "household"})) == [
        "<strong>6</strong> foyers cherchent un habitat participatif en Haute-Loire, Loire."
    ]


def test_a_small_count_is_not_shown(fiches):
    # One fiche in Paris, one group in the Loire: a number could point at them.
    assert counted(render({"departements": ["75"]})) == [
        "Moins de <strong>5</strong> fiches en Paris pour l’instant."
    ]
    group = render({"departements": ["42"], "profile_kind": "group"})
    assert "Moins de <strong>5</strong> fiches" in group and "Groupe" not in group
    Profile.objects.filter(profile_kind="household").update(profile_kind="group")
    cache.clear()
    assert counted(render({"departements": ["42"], "profile_kind": "group"})) == [
        "<strong>7</strong> fiches « groupe en constitution qui cherche des membres » en Loire."
    ]


def test_editors_place_it_in_a_page_and_the_demo_home_page_shows_two(client, fiches, home):
    call_command("setup_demo", profiles=0, verbosity=0)
    html = client.get("/").content.decode()
    assert counted(html)[0].startswith(
        "<strong>8</strong> foyers cherchent un habitat participatif en France."
    )
    assert 'href="/trouver/">Les voir sur la carte</a>' in html
    assert "en Auvergne-Rhône-Alpes." in counted(html)[1]

    page = ContentPage(title="Le réseau en chiffres", slug="chiffres")
    page.body = [("count", {"departements": ["42"], "place": "dans la Loire"})]
    home.add_child(instance=page)
    page.save_revision().publish()
    assert counted(client.get(page.url).content.decode()) == [
        "<strong>7</strong> foyers cherchent un habitat participatif dans la Loire."
    ]
