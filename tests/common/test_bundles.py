"""The map page fetches one stylesheet and one script of its own, each made of several
static files (common/bundles.py), served by the development server and collected for
production like any static file."""

import gc
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from profiles_module.checks import check_bundle_finder
from profiles_module.common.bundles import BUNDLES, BundleFinder
from profiles_module.search.filters import ProfileFilterSet
from tests.test_production_static import MANIFEST_STORAGES

CSS, JS = "profiles_module/bundles/map-page.css", "profiles_module/bundles/map-page.js"


def text_of(path):
    with open(finders.find(path), encoding="utf-8") as file:
        return file.read()


def test_a_bundle_holds_each_of_its_parts_in_order():
    for bundle, parts in BUNDLES.items():
        text = text_of(bundle)
        where = [text.index(f"/* {part} */\n") for part in parts]
        assert where == sorted(where), bundle
    # The scripts whole, each ended so that the next cannot run into it.
    script = text_of(JS)
    for part in BUNDLES[JS]:
        assert f"/* {part} */\n{text_of(part)}\n;\n" in script


def test_the_stylesheet_still_finds_leaflet_images_from_where_it_is():
    css = text_of(CSS)
    assert "url(images/layers.png)" in text_of(BUNDLES[CSS][0])
    assert "url(../vendor/leaflet-1.9.4/images/layers.png)" in css
    assert "url(images/" not in css


def test_collected_for_production_with_its_images_under_their_hashed_names(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    (css,) = tmp_path.glob("profiles_module/bundles/map-page.*.css")
    images = re.findall(r"url\([\"']?([^)\"']*layers[^)\"']*)", css.read_text())
    assert images and all(re.search(r"layers(-2x)?\.[0-9a-f]{12}\.png$", url) for url in images)
    for url in images:
        assert (css.parent / url).resolve().exists(), url
    assert list(tmp_path.glob("profiles_module/bundles/map-page.*.js"))


@pytest.mark.django_db
def test_the_map_page_asks_for_each_of_its_files_once(client, map_page):
    html = client.get(map_page.url).content.decode()
    scripts = re.findall(r'<script src="/static/([^"]+)"', html)
    preloaded = re.findall(r'<link rel="preload" as="script" href="/static/([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    # The page's first script runs the main one once the page is painted.
    assert scripts == ["profiles_module/bundles/map-page-start.js"]
    assert preloaded == [JS]
    assert styles == ["home/site.css", CSS]
    # A script the criteria's widgets need is in the bundle, not lost.
    assert set(ProfileFilterSet().form.media._js) <= set(BUNDLES[JS])


def test_without_the_finder_the_check_says_what_to_add():
    assert check_bundle_finder(None) == []
    with override_settings(
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.AppDirectoriesFinder"]
    ):
        (error,) = check_bundle_finder(None)
    assert error.id == "profiles_module.E006"
    assert "profiles_module.common.bundles.BundleFinder" in error.msg


def test_a_found_bundle_stays_when_the_finder_that_found_it_is_dropped():
    # Django keeps one finder of each kind, but threads asking for their first static
    # files at once may each make one and keep only one: the development server serves
    # the file found after the finder that found it is gone.
    finder = BundleFinder()
    found = finder.find(JS)
    del finder
    gc.collect()
    assert Path(found).read_text(encoding="utf-8") == text_of(JS)
