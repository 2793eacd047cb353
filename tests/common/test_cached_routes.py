"""What every search reads but rarely changes, from the shared cache: Wagtail's Site and
page route, the map page's territory, the lists of places and options. Each follows a
change at once."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from home.models import HomePage
from profiles_module.models import Departement, MapPage, ProfileOption, Region
from tests.factories import make_map_page

pytestmark = pytest.mark.django_db


def tables_read(queries):
    return {table for q in queries for table in re.findall(r'FROM "(\w+)"', q["sql"])}


def select_options(html, name):
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, f"no select {name}"
    return re.findall(r">([^<–]+?)(?: – [^<]*)?</option>", found.group(0))


def test_a_second_search_reads_neither_the_site_nor_the_page_tree_nor_the_lists(client, home):
    page = make_map_page(slug="carte")
    client.get(page.url + "?kind=group")
    with CaptureQueriesContext(connection) as second:
        response = client.get(page.url + "?kind=household")
    assert response.status_code == 200
    tables = tables_read(second.captured_queries)
    for table in (
        "wagtailcore_site",
        "wagtailcore_locale",
        "profiles_module_departement",
        "profiles_module_region",
        "profiles_module_profileoption",
        "profiles_module_mappage_regions",
        # Its view restrictions (the page and its parents), whether projects exist.
        "wagtailcore_page",
        "wagtailcore_pageviewrestriction",
        "profiles_module_project",
    ):
        assert table not in tables


def test_the_route_follows_a_page_renamed_unpublished_or_moved(client, home):
    page = make_map_page("Carte", slug="carte")
    assert client.get("/carte/").status_code == 200
    page.slug = "chercher"
    page.title = "Chercher des voisins"
    page.save_revision().publish()
    assert client.get("/carte/").status_code == 404
    assert "Chercher des voisins" in client.get("/chercher/").content.decode()
    page.unpublish()
    assert client.get("/chercher/").status_code == 404
    page.save_revision().publish()
    other = home.add_child(instance=HomePage(title="Ailleurs", slug="ailleurs"))
    page.move(other, pos="last-child")
    # Wagtail leaves a redirect from the old address.
    assert client.get("/chercher/", follow=True).redirect_chain[-1][0] == "/ailleurs/chercher/"
    assert client.get("/ailleurs/chercher/").status_code == 200


def test_the_site_follows_a_new_root_page(client, home):
    assert client.get("/").status_code == 200
    root = Page.objects.get(depth=1)
    new_home = root.add_child(instance=HomePage(title="Nouvel accueil", slug="nouvel-accueil"))
    new_home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = new_home
    site.save()
    assert "Nouvel accueil" in client.get("/").content.decode()


def test_the_lists_of_places_and_options_follow_an_edit(client, home):
    page = make_map_page(slug="carte", regions=["84"])
    html = client.get(page.url).content.decode()
    assert "Loire (42)" in select_options(html, "departement")
    ProfileOption.objects.create(category="value", slug="music", label="musique")
    option = ProfileOption.objects.get(slug="music")
    assert "musique" in client.get(page.url).content.decode()
    option.label = "chant choral"
    option.save()
    html = client.get(page.url).content.decode()
    assert "chant choral" in html and "musique" not in html
    loire = Departement.objects.get(code="42")
    loire.name = "Loire forézienne"
    loire.save()
    assert "Loire forézienne (42)" in select_options(
        client.get(page.url).content.decode(), "departement"
    )


def test_load_geography_puts_back_a_place_renamed_behind_the_signals(client, home):
    page = make_map_page(slug="carte")
    Region.objects.filter(code="53").update(name="Breizh")  # no signal
    assert "Breizh" in select_options(client.get(page.url).content.decode(), "region")
    call_command("load_geography", verbosity=0)  # bulk writes: no signal either
    html = client.get(page.url).content.decode()
    assert "Bretagne" in select_options(html, "region")
    assert "Breizh" not in html


def test_the_territory_follows_a_published_change_and_a_preview_shows_the_draft(client, home):
    page = make_map_page(slug="carte", regions=["84"])
    assert "Loire (42)" in select_options(client.get(page.url).content.decode(), "departement")
    page = MapPage.objects.get(pk=page.pk)
    page.regions.set(Region.objects.filter(code="93"))
    draft = page.save_revision().as_object()
    preview = draft.make_preview_request().content.decode()
    assert "Bouches-du-Rhône (13)" in select_options(preview, "departement")
    assert "Loire (42)" not in select_options(preview, "departement")
    # Not published yet: the page still shows its published territory.
    assert "Loire (42)" in select_options(client.get(page.url).content.decode(), "departement")
    page.get_latest_revision().publish()
    published = select_options(client.get(page.url).content.decode(), "departement")
    assert "Bouches-du-Rhône (13)" in published and "Loire (42)" not in published


def test_the_api_refuses_a_map_page_once_unpublished(client, home):
    page = make_map_page(slug="carte")
    url = f"/futurs-voisins/api/v1/profiles/?page_id={page.pk}"
    assert client.get(url).status_code == 200
    page.unpublish()
    assert client.get(url).status_code == 400
