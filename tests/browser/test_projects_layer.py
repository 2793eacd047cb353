"""The projects layer of the map page, as a keyboard user meets it: off at first, ticked
with the space bar, markers named for screen readers, a popup linking to the project's
page and to the national database, and no rule of the Content-Security-Policy broken."""

import pytest

from profiles_module.demo.projects import SAMPLE
from profiles_module.models import Project, ProjectsPage
from profiles_module.projects.importer import import_projects
from tests.factories import make_map_page, make_profile

from . import settle
from .test_content_security_policy import watch_violations


@pytest.fixture
def projects_site(live_site, home):
    import_projects(path=SAMPLE)
    projects_page = ProjectsPage(title="Les projets", slug="projets")
    home.add_child(instance=projects_page)
    projects_page.save_revision().publish()
    make_profile(public_name="Camille")
    return make_map_page(slug="trouver")


def project_markers(page):
    return page.locator(".leaflet-marker-icon:has(.fv-marker--project)")


@pytest.mark.browser
def test_the_projects_layer_is_toggled_from_the_keyboard(page, live_site, projects_site):
    violations = watch_violations(page)
    page.goto(live_site + projects_site.url)
    toggle = page.get_by_role("checkbox", name="Afficher les projets")
    toggle.wait_for()
    assert not toggle.is_checked()
    assert project_markers(page).count() == 0

    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.is_checked()
    expected = Project.objects.current().filter(latitude__isnull=False).count()
    page.wait_for_function(
        "n => document.querySelectorAll('.leaflet-marker-icon .fv-marker--project').length === n",
        arg=expected,
    )
    assert page.get_by_role("status").filter(has_text=f"{expected} projets affichés").count() == 1

    # A marker is named for screen readers, and opens its popup from the keyboard.
    marker = page.get_by_label("Projet : Le Moulin des Alpes")
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup")
    link = popup.get_by_role("link", name="Le projet et ses fiches")
    link.wait_for()
    assert link.get_attribute("href") == "/projets/LeMoulinDesAlpes/"
    assert (
        popup.get_by_role("link", name="Le voir dans la base nationale").get_attribute("href")
        == "https://projets.habitat-participatif.example.org/?LeMoulinDesAlpes"
    )
    assert page.evaluate("document.activeElement.textContent") == "Le projet et ses fiches"
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Projet\u00a0: Le Moulin des Alpes"
    )

    # Unticked: the layer goes, the fiches' markers stay.
    toggle.focus()
    page.keyboard.press("Space")
    assert not toggle.is_checked()
    assert project_markers(page).count() == 0
    settle(page)
    assert violations == []


@pytest.mark.browser
def test_the_project_page_opens_from_the_popup(page, live_site, projects_site):
    page.goto(live_site + projects_site.url)
    page.get_by_role("checkbox", name="Afficher les projets").check()
    page.get_by_label("Projet : Les Jardins de la Meuse").click()
    page.get_by_role("link", name="Le projet et ses fiches").click()
    page.wait_for_url("**/projets/LesJardinsDeLaMeuse/")
    assert page.get_by_role("heading", level=1).text_content() == "Les Jardins de la Meuse"
