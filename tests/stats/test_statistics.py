"""The statistics page of a territory: counts that agree with counting the fiches one by
one, small counts masked for the public, the growth per month, and a number of queries
that does not grow with the fiches."""

import random
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from profiles_module.models import Departement, Profile, Region, StatisticsPage
from profiles_module.models.profiles import ProfileKind
from profiles_module.models.territory import Territory
from profiles_module.stats.counts import count_profiles
from profiles_module.stats.figures import territory_figures
from tests.factories import make_fiche, make_statistics_page

pytestmark = pytest.mark.django_db

# Saint-Étienne (42), Lyon (69), Le Puy-en-Velay (43), Paris (75), Rennes (35).
COMMUNES = ["42218", "69123", "43157", "75056", "35238"]
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


@pytest.fixture
def generated():
    """Forty fiches of every kind, with one to three sectors each: communes of five
    départements, whole départements and whole régions; a few unpublished."""
    rng = random.Random(7)  # noqa: S311 -- test data, reproducible
    choices = [
        *(("commune", code) for code in COMMUNES),
        ("departement", "42"),
        ("departement", "01"),
        ("departement", "33"),
        ("region", "84"),
        ("region", "11"),
    ]
    for number in range(40):
        make_fiche(
            number,
            rng.sample(choices, rng.randint(1, 3)),
            profile_kind=rng.choice(ProfileKind.values),
            live=rng.random() > 0.15,
        )


TERRITORIES = [
    ({}, "all of France"),
    ({"region_codes": ["84"]}, "Auvergne-Rhône-Alpes"),
    ({"departement_codes": ["42", "75"]}, "two départements"),
    ({"region_codes": ["11"], "departement_codes": ["42"]}, "a région and a département"),
]


def territory_of(region_codes=(), departement_codes=()):
    return Territory(
        tuple(Region.objects.filter(code__in=region_codes).values_list("pk", flat=True)),
        tuple(Departement.objects.filter(code__in=departement_codes).values_list("pk", flat=True)),
    )


def departements_touched(profile):
    """The codes of the départements a fiche's sectors touch, read from its sectors'
    places rather than from the columns the query uses."""
    codes = set()
    for sector in profile.sectors.all():
        if sector.kind == "commune":
            codes.add(sector.commune.departement.code)
        elif sector.kind == "departement":
            codes.add(sector.departement.code)
        else:
            codes.update(sector.region.departements.values_list("code", flat=True))
    return codes


@pytest.mark.parametrize(("where", "name"), TERRITORIES, ids=[name for _w, name in TERRITORIES])
def test_counts_agree_with_counting_the_fiches_one_place_at_a_time(generated, where, name):
    figures = territory_figures(territory_of(**where), now=NOW)

    assert figures.total == count_profiles(**where)
    for kind in ProfileKind.values:
        assert dict(figures.kinds).get(kind, 0) == count_profiles(**where, profile_kind=kind)
    expected_codes = set(
        territory_of(**where).departements_queryset().values_list("code", flat=True)
    )
    assert {code for code, _name, _count in figures.departements} == expected_codes
    touched = [departements_touched(profile) for profile in Profile.objects.public()]
    for code, _name, count in figures.departements:
        assert count == sum(code in codes for codes in touched), code
    assert sum(count for _code, _name, count in figures.departements) > 0


def table(html, caption):
    """{row header: cell} of the table with this caption, tags and spaces stripped."""
    start = html.index(f"<caption>{caption}</caption>")
    part = html[start : html.index("</table>", start)]
    rows = re.findall(r"<th scope=\"row\">(.*?)</th><td>(.*?)</td>", part, re.S)
    return {
        re.sub(r"<[^>]+>", "", th).strip(): re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", td)))
        for th, td in rows
    }


@pytest.fixture
def loire_and_paris():
    """Seven households around Saint-Étienne (Loire), one group there, one in Paris, all
    published this month."""
    for number in range(7):
        make_fiche(number, [("commune", "42218")])
    make_fiche(7, [("commune", "42218")], profile_kind="group")
    make_fiche(8, [("commune", "75056")])
    Profile.objects.update(first_published_at=timezone.now())


def test_the_page_shows_charts_and_tables_and_no_private_data(client, loire_and_paris):
    page = make_statistics_page(slug="chiffres")
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()

    assert "<strong>9</strong> fiches publiées." in html
    assert html.count('<svg class="fv-chart"') == 3
    assert html.count('role="img" aria-labelledby="fv-stats-') == 3
    assert " style=" not in html.split("<main", 1)[1]
    # Coordinates in SVG syntax, not in French ("12,5" would not draw the bar).
    bars = re.findall(r"<rect [^>]*>", html)
    # This month, the households, the Loire: Paris and the group are too few to draw.
    assert len(bars) == 3
    coordinates = [re.findall(r' (?:x|y|width|height)="([^"]*)"', bar) for bar in bars]
    assert all(re.fullmatch(r"[\d.]+", value) for each in coordinates for value in each)
    departements = table(html, "Fiches publiées par département")
    assert departements["Loire (42)"] == "8"
    # One fiche in Paris, one group: a figure that could point at a household.
    assert departements["Paris (75)"] == "<5"
    assert departements["Ain (01)"] == "<5"
    kinds = table(html, "Fiches publiées par type")
    assert kinds["Futur·e habitant·e (personne ou foyer)"] == "8"
    assert kinds["Groupe en constitution qui cherche des membres"] == "<5"
    for profile in Profile.objects.all():
        assert profile.email not in html
    assert "example.org" not in html


def test_a_territory_with_fewer_than_five_fiches_shows_no_number(client):
    make_fiche(1, [("commune", "75056")])
    make_fiche(2, [("commune", "75056")])
    html = client.get(
        make_statistics_page(slug="chiffres-idf", regions=["11"]).url
    ).content.decode()
    assert "Moins de <strong>5</strong> fiches publiées pour l’instant." in html
    assert ">2<" not in html


def test_a_page_in_a_region_lists_the_departements_of_that_region_only(client, loire_and_paris):
    page = make_statistics_page(
        "Les chiffres en Auvergne-Rhône-Alpes", slug="chiffres-aura", regions=["84"]
    )
    html = client.get(page.url).content.decode()
    departements = table(html, "Fiches publiées par département")
    assert set(departements) == {
        f"{name} ({code})"
        for code, name in Departement.objects.filter(region__code="84").values_list("code", "name")
    }
    assert departements["Loire (42)"] == "8"
    assert "Paris" not in html
    assert "<strong>8</strong> fiches publiées." in html


def test_new_fiches_per_month_over_the_last_twelve_months():
    dates = {
        datetime(2025, 5, 20, tzinfo=UTC): 3,  # more than twelve months ago: not counted
        datetime(2025, 7, 1, 8, tzinfo=UTC): 6,  # the first month shown
        datetime(2026, 1, 10, tzinfo=UTC): 2,
        datetime(2026, 6, 14, tzinfo=UTC): 5,  # this month
    }
    number = 0
    for when, count in dates.items():
        for _ in range(count):
            profile = make_fiche(number, [("commune", "42218")])
            Profile.objects.filter(pk=profile.pk).update(first_published_at=when)
            number += 1
    # Hidden since: still part of the growth.
    Profile.objects.filter(first_published_at__month=6, first_published_at__year=2026).update(
        live=False
    )
    months = dict(territory_figures(Territory(), now=NOW).months)
    assert len(months) == 12
    assert min(months).isoformat() == "2025-07-01"
    assert max(months).isoformat() == "2026-06-01"
    assert {month.isoformat(): count for month, count in months.items() if count} == {
        "2025-07-01": 6,
        "2026-01-01": 2,
        "2026-06-01": 5,
    }


def page_queries(client, page):
    """The queries of one visit to the page, with nothing in the cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return [query["sql"] for query in queries]


def test_the_page_takes_as_many_queries_for_two_fiches_as_for_forty(
    client, django_assert_max_num_queries
):
    page = make_statistics_page(slug="chiffres")
    make_fiche(0, [("commune", "42218")])
    make_fiche(1, [("region", "84"), ("departement", "33")])
    page_queries(client, page)  # the process's own caches (content types…) filled
    few = page_queries(client, page)
    for number in range(2, 40):
        make_fiche(number, [("commune", COMMUNES[number % 5]), ("departement", "01")])
    many = page_queries(client, page)
    assert len(many) == len(few), "\n".join(many)
    # The page's own figures: three queries (kinds, départements, months) and the two
    # of its territory; the rest is the site's (page lookup, site, legal pages…).
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        client.get(page.url)
    # Once cached, the figures cost no query at all.
    with CaptureQueriesContext(connection) as cached:
        client.get(page.url)
    assert len(cached) <= len(few) - 3


def test_the_demo_has_one_statistics_page_for_all_of_france_in_its_menu(client, loire_and_paris):
    call_command("setup_demo", profiles=0, verbosity=0)
    call_command("setup_demo", profiles=0, verbosity=0)
    page = StatisticsPage.objects.get(locale__language_code="fr")
    # Once in each language (the English one under /en/).
    assert StatisticsPage.objects.filter(locale__language_code="en").count() == 1
    assert page.show_in_menus and page.live and page.get_territory().everywhere
    html = client.get(page.url).content.decode()
    assert "<h1>Les chiffres</h1>" in html and "habitat participatif" in html
    assert "<strong>9</strong> fiches publiées." in html
    assert table(html, "Fiches publiées par département")["Loire (42)"] == "8"


def test_large_counts_are_grouped_by_thousands_in_each_language():
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    cell = SimpleNamespace(masked=False, count=2836)
    with translation.override("fr"):
        assert render_to_string("profiles_module/stats/count.html", {"cell": cell}).strip() == (
            "2\xa0836"
        )
    with translation.override("en"):
        assert render_to_string("profiles_module/stats/count.html", {"cell": cell}).strip() == (
            "2,836"
        )
