"""A household picks its project in the publication form, from the suggestions the
commune box's script offers (the same script, over the projects)."""

import pytest
from django.core import mail
from wagtail.models import Site

from profiles_module.demo.projects import SAMPLE
from profiles_module.models import Profile, Project, PublishPage
from profiles_module.projects.importer import import_projects
from tests.browser import settle


@pytest.mark.browser
def test_the_project_is_picked_from_the_suggestions(page, live_site):
    import_projects(path=SAMPLE)
    home = Site.objects.get(is_default_site=True).root_page
    publish = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=publish)
    publish.save_revision().publish()
    mail.outbox.clear()
    vannes = Project.objects.get(bazar_id="LaGrangeCommune")

    page.goto(live_site + publish.url)
    box = page.get_by_label("Projet de la base nationale")
    box.fill("vann")
    page.wait_for_function("() => document.querySelectorAll('#id_project_list option').length > 0")
    suggestion = page.locator("#id_project_list option").first.get_attribute("value")
    assert suggestion == vannes.label
    box.fill(suggestion)  # what picking the suggestion does: the box holds its label
    page.wait_for_function(
        "id => document.querySelector('input[name=project]').value === id", arg=str(vannes.pk)
    )
    page.get_by_label("Je fais partie de ce projet").check()

    page.get_by_label("Nom public").fill("Sacha")
    page.get_by_label("couple", exact=True).check()
    page.locator("#id_sectors-0-commune").fill("Vannes")
    page.get_by_label("Votre adresse email").fill("sacha@example.org")
    page.get_by_label("J'accepte la publication de cette fiche sur le site").check()
    page.get_by_role("button", name="Publier ma fiche").click()
    settle(page)
    assert page.get_by_role("heading", name="Vérifiez votre boîte mail").is_visible()
    profile = Profile.objects.get()
    assert (profile.project, profile.project_relation) == (vannes, "member")
