"""The public search: the map page, its filters, territories, sorting and query counts."""

import re
from datetime import timedelta

import pytest
from django.test.html import parse_html
from django.utils import timezone

from profiles_module.common.bundles import BUNDLES
from profiles_module.models import Departement, MapPage, Profile, ProfileOption, Region
from tests.factories import make_map_page, make_profile

pytestmark = pytest.mark.django_db


def names(response):
    """Public names of the cards, in order."""
    return re.findall(r'class="fv-card__name"><a [^>]*>([^<]+)</a>', response.content.decode())


def test_map_page_lists_public_profiles_only(client, map_page):
    make_profile(public_name="Visible")
    make_profile(public_name="Brouillon", live=False)
    response = client.get(map_page.url)
    assert response.status_code == 200
    assert names(response) == ["Visible"]
    assert "1 foyer correspond à votre recherche" in response.content.decode()


def option(category, slug):
    return ProfileOption.objects.get(category=category, slug=slug)


def api_names(client, query="", **params):
    response = client.get("/futurs-voisins/api/v1/profiles/?" + query, params)
    assert response.status_code == 200, response.content
    return sorted(item["public_name"] for item in response.json()["results"])


# Each filter alone: (query string, fields of the matching profile, fields of the other one).
SINGLE_FILTERS = {
    "kind": ("kind=group", {"profile_kind": "group"}, {}),
    "composition": ("composition=family", {"composition": "family", "children": 2}, {}),
    "children": ("children=2", {"children": 2, "composition": "family"}, {"children": 1}),
    "age": ("age=60_74", {"age_bands": ["60_74"]}, {"age_bands": ["30_44"]}),
    "setting": ("setting=rural", {"setting": "rural"}, {"setting": "urban"}),
    "tenure": ("tenure=cooperative", {"tenure": "cooperative"}, {"tenure": "rental"}),
    "horizon": ("horizon=lt1", {"horizon": "lt1"}, {"horizon": "gt3"}),
    "role": ("role=join", {"role": "join"}, {"role": "create"}),
    "place": ("place=yes", {"place_identified": True}, {}),
    "financing": (
        "financing=75k_150k",
        {"financing_band": "75k_150k", "financing_public": True},
        {"financing_band": "75k_150k", "financing_public": False},
    ),
    "social_housing": (
        "social_housing=yes",
        {"social_housing_eligible": True, "financing_public": True},
        {"social_housing_eligible": True, "financing_public": False},
    ),
    "departement": ("departement=69", {"commune": "69123"}, {"commune": "42218"}),
    "region": ("region=53", {"commune": "35238"}, {"commune": "42218"}),  # Rennes, Bretagne
    "commune": (
        "commune=42218&km=20",
        {"commune": "42218"},
        {"commune": "69123"},
    ),
}


@pytest.mark.parametrize("name", SINGLE_FILTERS)
def test_each_filter_alone(client, name):
    query, matching, other = SINGLE_FILTERS[name]
    make_profile(public_name="Oui", **matching)
    make_profile(public_name="Non", **other)
    assert api_names(client, query) == ["Oui"]


@pytest.mark.parametrize(
    ("name", "relation", "category", "slug"),
    [
        ("project", "project_kinds", "project_kind", "ecohamlet"),
        ("step", "steps", "step", "training"),
        ("value", "values", "value", "ecology"),
    ],
)
def test_option_filters(client, name, relation, category, slug):
    yes = make_profile(public_name="Oui")
    getattr(yes, relation).set([option(category, slug)])
    yes.save()
    make_profile(public_name="Non")
    assert api_names(client, f"{name}={slug}") == ["Oui"]


def test_around_a_commune_uses_distance_and_sectors(client):
    make_profile(public_name="Saint-Chamond", commune="42207")  # ~11 km from Saint-Étienne
    make_profile(public_name="Lyon", commune="69123")  # ~50 km
    make_profile(public_name="Brest", commune="29019")
    loire = make_profile(public_name="Toute la Loire", commune="29019")
    loire.sectors.all().delete()
    from profiles_module.models import Sector

    loire.sectors = [Sector(kind="departement", departement=Departement.objects.get(code="42"))]
    loire.save()
    assert api_names(client, "commune=42218&km=5") == ["Saint-Chamond", "Toute la Loire"]
    assert api_names(client, "commune=42218&km=100") == [
        "Lyon",
        "Saint-Chamond",
        "Toute la Loire",
    ]


def test_departement_and_region_overlap_every_kind_of_sector(client):
    """A sector overlaps a département when it lies in it or is its région, and a région
    when it lies in it: commune, département and région sectors (see Sector.territory_*)."""
    from profiles_module.models import Sector

    def with_sector(name, **place):
        profile = make_profile(public_name=name, commune="29019")  # Brest, Bretagne
        profile.sectors = [Sector(**place)]
        profile.save()

    make_profile(public_name="Saint-Étienne", commune="42218")
    with_sector("La Loire", kind="departement", departement=Departement.objects.get(code="42"))
    with_sector("Auvergne-Rhône-Alpes", kind="region", region=Region.objects.get(code="84"))
    with_sector("Le Rhône", kind="departement", departement=Departement.objects.get(code="69"))
    make_profile(public_name="Brest", commune="29019")
    assert api_names(client, "departement=42") == [
        "Auvergne-Rhône-Alpes",
        "La Loire",
        "Saint-Étienne",
    ]
    assert api_names(client, "region=84") == [
        "Auvergne-Rhône-Alpes",
        "La Loire",
        "Le Rhône",
        "Saint-Étienne",
    ]
    loire = make_map_page("Loire", departements=["42"])
    assert sorted(names(client.get(loire.url))) == [
        "Auvergne-Rhône-Alpes",
        "La Loire",
        "Saint-Étienne",
    ]


def test_sector_territory_follows_its_place():
    """The territory columns the search filters on are kept by save() and bulk_create()."""
    from profiles_module.models import Sector

    profile = make_profile(commune="42218")  # Saint-Étienne, Loire, Auvergne-Rhône-Alpes
    loire, aura = Departement.objects.get(code="42"), Region.objects.get(code="84")
    sector = profile.sectors.get()
    assert (sector.territory_departement, sector.territory_region) == (loire, aura)
    sector.kind, sector.commune, sector.region = "region", None, Region.objects.get(code="53")
    sector.save()
    assert (sector.territory_departement, sector.territory_region.code) == (None, "53")
    [created] = Sector.objects.bulk_create(
        [Sector(profile=profile, kind="departement", departement=loire, sort_order=1)]
    )
    created.refresh_from_db()
    assert (created.territory_departement, created.territory_region) == (loire, aura)
    Sector.objects.update(territory_departement=None, territory_region=None)
    Sector.objects.refresh_territories()
    assert set(Sector.objects.values_list("territory_departement", "territory_region")) == {
        (None, Region.objects.get(code="53").pk),
        (loire.pk, aura.pk),
    }


def test_load_geography_moves_the_sectors_with_their_commune():
    from profiles_module.geography.loader import load_geography
    from profiles_module.models import Commune, Sector

    make_profile(commune="42218")
    rhone = Departement.objects.get(code="69")
    # As if the data had moved Saint-Étienne to the Rhône, and now moves it back.
    Commune.objects.filter(insee_code="42218").update(departement=rhone)
    Sector.objects.update(territory_departement=rhone)
    load_geography()
    assert Sector.objects.get().territory_departement.code == "42"


def test_map_page_offers_the_commune_autocomplete(client, map_page):
    """Progressive enhancement: the hooks of commune-autocomplete.js around a plain text
    box; the label a suggestion puts in it is resolved on the server, as typed text is."""
    make_profile(public_name="Stéphanoise", commune="42218")
    make_profile(public_name="Lyonnaise", commune="69123")
    html = client.get(map_page.url).content.decode()
    box = re.search(
        r'<div class="fv-commune" data-fv-commune data-url="([^"]+)">(.*?)</div>', html, re.S
    )
    assert box and box[1] == "/futurs-voisins/communes/"
    assert re.search(r'<input type="text" name="commune"[^>]* id="id_commune"', box[2])
    assert 'list="id_commune_list"' in box[2] and "data-fv-commune-input" in box[2]
    assert '<datalist id="id_commune_list"></datalist>' in box[2]
    # Its script comes in the page's one script (common/bundles.py).
    assert "profiles_module/bundles/map-page.js" in html
    assert (
        "profiles_module/js/commune-autocomplete.js"
        in BUNDLES["profiles_module/bundles/map-page.js"]
    )
    assert (
        client.get("/futurs-voisins/communes/", {"q": "42000"}).json()["results"][0]["label"]
        == "Saint-Étienne (42000)"
    )
    for typed in ("Saint-Étienne (42000)", "saint etienne", "42000", "42218"):
        response = client.get(map_page.url, {"commune": typed, "km": "5"})
        assert names(response) == ["Stéphanoise"], typed
        assert 'value="Saint-Étienne (42000)"' in response.content.decode()
    # A page that does not offer the filter loads no script for it.
    other = make_map_page("Sans commune", filters=["tenure"], slug="sans-commune")
    assert "commune-autocomplete.js" not in client.get(other.url).content.decode()


def test_sort_by_distance_newest_and_confirmed(client, map_page):
    now = timezone.now()
    make_profile(public_name="Lyon", commune="69123", last_confirmed_at=now + timedelta(hours=1))
    make_profile(public_name="Saint-Étienne", commune="42218")
    make_profile(public_name="Roanne", commune="42187", last_confirmed_at=now - timedelta(days=9))
    page = map_page.url
    assert names(client.get(page)) == ["Roanne", "Saint-Étienne", "Lyon"]
    assert names(client.get(page + "?commune=42218&km=100&sort=nearest")) == [
        "Saint-Étienne",
        "Lyon",
        "Roanne",
    ]
    assert names(client.get(page + "?sort=confirmed"))[0] == "Lyon"


def test_confirmed_within_falls_back_to_creation(client):
    old = make_profile(public_name="Ancien")
    Profile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    make_profile(public_name="Récent")
    confirmed = make_profile(public_name="Reconfirmé", last_confirmed_at=timezone.now())
    Profile.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert api_names(client, "confirmed=3") == ["Reconfirmé", "Récent"]


def test_free_text_searches_public_fields_only(client):
    make_profile(public_name="Alix", presentation="Nous rêvons d'un écohameau avec potager.")
    make_profile(
        public_name="Sam", presentation="Un habitat en ville.", email="potager@example.org"
    )
    assert api_names(client, "q=potager") == ["Alix"]
    assert api_names(client, "q=Sam") == ["Sam"]


def test_filters_combine(client, map_page):
    make_profile(
        public_name="A", commune="42218", tenure="cooperative", children=1, composition="family"
    )
    make_profile(public_name="B", commune="42218", tenure="rental")
    make_profile(public_name="C", commune="69123", tenure="cooperative")
    query = "departement=42&tenure=cooperative&tenure=ownership&children=1"
    assert api_names(client, query) == ["A"]
    assert names(client.get(map_page.url + "?" + query)) == ["A"]


@pytest.mark.parametrize(
    "query",
    [
        "departement=999",
        "tenure=castle",
        "children=abc",
        "km=7&commune=42218",
        "commune=Nullepartville",
        "confirmed=-1",
        "sort=nearest",
        "page=999",
        "page=abc",
        "q=" + "x" * 500,
        "value=%00",
        "commune=%27%20OR%201%3D1",
    ],
)
def test_invalid_input_shows_a_message_and_is_ignored(client, map_page, query):
    make_profile(public_name="Camille")
    response = client.get(map_page.url + "?" + query)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert names(response) == ["Camille"]


@pytest.mark.parametrize(
    "query",
    ["departement=999", "tenure=castle", "page=9", "page_size=0", "page_id=424242", "zoom=99"],
)
def test_invalid_api_input_is_a_400_with_errors(client, query):
    make_profile()
    for path in ("/futurs-voisins/api/v1/profiles/", "/futurs-voisins/api/v1/profiles/map/"):
        is_map = path.endswith("map/")
        if (is_map and query.startswith(("page_size", "page="))) or (
            not is_map and query == "zoom=99"
        ):
            continue
        response = client.get(path + "?" + query)
        assert response.status_code == 400
        assert response.json()["errors"]


def test_territory_limits_results_and_choices(client):
    page = make_map_page("En Auvergne-Rhône-Alpes", regions=["84"])
    make_profile(public_name="Lyon", commune="69123")
    make_profile(public_name="Rennes", commune="35238")
    response = client.get(page.url)
    assert names(response) == ["Lyon"]
    # Asking for a place outside the territory finds nothing, and it is not offered.
    assert 'value="35"' not in response.content.decode()
    assert names(client.get(page.url + "?departement=35")) == ["Lyon"]  # ignored: invalid
    assert api_names(client, f"page_id={page.pk}") == ["Lyon"]
    # The API refuses a place outside the page's territory.
    response = client.get(f"/futurs-voisins/api/v1/profiles/?page_id={page.pk}&region=53")
    assert response.status_code == 400
    assert "region" in response.json()["errors"]


def test_one_search_leaves_nothing_to_the_next(client):
    """Filters are copied per search (filters.FiltersCopiedPerSearch): a territory's
    choices, a page's offered filters and an invalid value stay with their own search."""
    national = make_map_page("Partout")
    rhone_alpes = make_map_page("En Auvergne-Rhône-Alpes", regions=["84"])
    only_tenure = make_map_page("Par statut", filters=["tenure"])
    make_profile(public_name="Rennes", commune="35238")

    def departement_codes(response):
        html = response.content.decode()
        select = re.search(r'<select name="departement".*?</select>', html, re.S)
        return re.findall(r'<option value="(\w+)"', select[0])

    everywhere = departement_codes(client.get(national.url))
    assert {"35", "69", "42"} <= set(everywhere)
    for _round in range(2):
        limited = departement_codes(client.get(rhone_alpes.url + "?departement=35"))
        assert "69" in limited and "35" not in limited
        tenure_only = client.get(only_tenure.url + "?kind=nonsense").content.decode()
        assert 'name="departement"' not in tenure_only
        again = client.get(national.url)
        assert departement_codes(again) == everywhere
        assert names(again) == ["Rennes"] and "fv-field--error" not in again.content.decode()


def test_departement_territory_and_profile_kinds(client):
    page = make_map_page("Loire", departements=["42"], profile_kinds=["group"])
    make_profile(public_name="Groupe", commune="42218", profile_kind="group")
    make_profile(public_name="Foyer", commune="42218")
    make_profile(public_name="Groupe à Lyon", commune="69123", profile_kind="group")
    assert names(client.get(page.url)) == ["Groupe"]


def test_offered_filters_only(client):
    page = make_map_page(filters=["tenure"])
    make_profile(public_name="A", tenure="rental", setting="rural")
    make_profile(public_name="B", tenure="cooperative", setting="urban")
    response = client.get(page.url + "?setting=rural")
    assert names(response) == ["B", "A"]  # setting is not offered: ignored
    assert 'name="setting"' not in response.content.decode()


def test_pagination_keeps_the_filters(client, map_page, settings):
    settings.PROFILES_SEARCH_PAGE_SIZE = 2
    for index in range(5):
        make_profile(public_name=f"P{index}", tenure="cooperative")
    make_profile(public_name="Autre", tenure="rental")
    response = client.get(map_page.url + "?tenure=cooperative")
    html = response.content.decode()
    assert "5 foyers correspondent à votre recherche" in html
    assert "?tenure=cooperative&amp;page=2" in html
    assert len(names(client.get(map_page.url + "?tenure=cooperative&page=3"))) == 1


def test_count_wording(client, map_page):
    assert (
        "Aucun foyer ne correspond à votre recherche" in client.get(map_page.url).content.decode()
    )
    make_profile()
    make_profile()
    assert "2 foyers correspondent à votre recherche" in client.get(map_page.url).content.decode()


def seed(count):
    for index in range(count):
        profile = make_profile(
            public_name=f"P{index}",
            commune=["42218", "69123", "35238"][index % 3],
            tenure="cooperative",
            age_bands=["30_44"],
        )
        profile.values.set([option("value", "ecology")])
        profile.steps.set([option("step", "training")])
        profile.save()


@pytest.mark.parametrize(
    "path",
    [
        "{page}?tenure=cooperative&departement=42&sort=confirmed",
        "{page}?commune=42218&km=50&sort=nearest&q=camille",
        "/futurs-voisins/api/v1/profiles/?page_size=100&value=ecology",
        "/futurs-voisins/api/v1/profiles.geojson?page_size=100&region=84",
        "/futurs-voisins/api/v1/profiles/map/?zoom=5&bbox=-5,41,10,51",
        "/futurs-voisins/api/v1/profiles/map/?zoom=12&bbox=-5,41,10,51&page_id={page_id}",
    ],
)
def test_query_count_does_not_grow_with_results(client, map_page, path, settings):
    settings.PROFILES_SEARCH_PAGE_SIZE = 100
    url = path.format(page=map_page.url, page_id=map_page.pk)
    client.get(url)  # Warm the per-process caches (sites, partners): not what is measured.
    seed(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    seed(45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_setup_demo_creates_the_map_pages_once(client):
    from django.core.management import call_command

    for _ in range(2):
        call_command("setup_demo", profiles=3, verbosity=0)
    # Once in French, once in English (same slugs, under /en/).
    for language in ("fr", "en"):
        pages = MapPage.objects.live().filter(locale__language_code=language)
        assert list(pages.values_list("slug", flat=True).order_by("slug")) == [
            "auvergne-rhone-alpes",
            "trouver",
        ]
    regional = MapPage.objects.get(slug="auvergne-rhone-alpes", locale__language_code="fr")
    assert list(regional.regions.values_list("code", flat=True)) == ["84"]
    home = client.get("/").content.decode()
    assert "Trouver des futurs voisins" in home and "Auvergne-Rhône-Alpes" in home


def collapse_whitespace(html):
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html))


WIDGET_ATTRS = [
    {"id": "id_x"},
    {"aria-invalid": "true", "id": "id_x"},
    {"class": "wide", "id": "id_x", "aria-describedby": "id_x_helptext"},
    {},
]


@pytest.mark.parametrize("attrs", WIDGET_ATTRS)
@pytest.mark.parametrize("value", [None, "", "a", ["1", "a"], ["zz"]])
def test_search_widgets_write_the_markup_of_djangos_templates(attrs, value):
    """The search form's widgets have their own templates (one per list of options,
    widgets.FilterChoices): the same HTML as Django's, escaping and selection included
    (compared as HTML: attribute order and collapsible whitespace aside)."""
    from django import forms
    from django.utils.translation import gettext_lazy

    from profiles_module.search.widgets import FilterCheckboxes, FilterSelect, FilterTextInput

    choices = [("", gettext_lazy("any")), ("a", 'A & <b>"B"</b>'), (1, "un"), ("1 ", "un ")]
    pairs = [
        (FilterSelect(choices=choices), forms.Select(choices=choices)),
        (FilterCheckboxes(choices=choices), forms.CheckboxSelectMultiple(choices=choices)),
        (FilterTextInput({"maxlength": 100}), forms.TextInput({"maxlength": 100})),
    ]
    for ours, djangos in pairs:
        if isinstance(ours, FilterTextInput) and isinstance(value, list):
            continue
        expected = parse_html(djangos.render("x", value, dict(attrs)))
        assert parse_html(ours.render("x", value, dict(attrs))) == expected


def test_filter_fields_show_their_label_help_text_and_errors(client, map_page):
    """Each field of the search form as profiles_module/map/field.html writes it."""
    html = client.get(map_page.url, {"sort": "nearest", "kind": "group"}).content.decode()
    sort = re.search(r'<div class="fv-field fv-field--sort[^"]*">.*?</div>\n', html, re.S)[0]
    assert sort == (
        '<div class="fv-field fv-field--sort fv-field--error">\n'
        '<label for="id_sort">Tri\xa0:</label><select name="sort" aria-describedby="id_sort_error"'
        ' aria-invalid="true" data-fv-default="newest" id="id_sort">\n'
        '  <option value="newest">les plus récentes</option>\n'
        '  <option value="confirmed">confirmées le plus récemment</option>\n'
        '  <option value="nearest" selected>les plus proches de la commune</option>\n'
        "</select>\n\n"
        '<p class="fv-field__error" id="id_sort_error">'
        "Choisissez une commune pour trier par distance.</p>\n"
        "</div>\n"
    )
    kind = re.search(
        r'<div class="fv-field fv-field--kind">\n<fieldset>(.*?)</fieldset>', html, re.S
    )
    # No fiche at all: each choice finds none, and is dimmed (search/facets.py).
    assert collapse_whitespace(kind[1]).startswith(
        '<legend>Type de profil</legend><div id="id_kind"><div class="fv-choice--none">'
        '<label for="id_kind_0">'
    )
    assert '<input type="checkbox" name="kind" value="group" id="id_kind_1" checked>' in kind[1]
    commune = re.search(r'<div class="fv-field fv-field--commune">.*?</p>\n', html, re.S)[0]
    assert '<label for="id_commune">Autour de la commune\xa0:</label>' in commune
    assert '<p class="fv-field__help" id="id_commune_helptext">Nom ou code postal</p>' in commune


def test_a_host_site_overrides_the_cards_and_fields_with_its_templates(client, map_page, settings):
    make_profile(public_name="Visible")
    before = client.get(map_page.url).content.decode()
    assert 'class="fv-card"' in before and "host-" not in before
    override = settings.BASE_DIR / "tests" / "templates" / "host_overrides"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [override, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = client.get(map_page.url).content.decode()
    assert '<article class="host-card">Visible — Futur·e habitant·e' in html
    assert 'class="fv-card"' not in html
    assert '<p class="host-field">Tri <select class="host-select" name="sort"' in html
    assert '<option value="newest">[les plus récentes]</option>' in html


def test_the_map_opens_on_its_territory_without_querying_the_communes_each_time(client, map_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    map_page.departements.set(Departement.objects.filter(code__in=["42", "974"]))
    map_page.save()
    with CaptureQueriesContext(connection) as first:
        html = client.get(map_page.url).content.decode()
    assert "La Réunion" in html  # a button to jump to the overseas part
    with CaptureQueriesContext(connection) as second:
        assert client.get(map_page.url).content.decode() == html
    on_communes = [q["sql"] for q in second.captured_queries if "commune" in q["sql"].lower()]
    assert len(second) < len(first) and not [q for q in on_communes if "MIN(" in q.upper()]
