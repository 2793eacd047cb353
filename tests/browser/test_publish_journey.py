"""A household publishes its profile from a phone, confirms it, edits it, deletes it."""

import re

import pytest
from django.core import mail
from wagtail.models import Site

from profiles_module.models import Profile, PublishPage
from tests.browser import settle
from tests.browser.conftest import MOBILE_VIEWPORT


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(message, fragment):
    return path_of(next(u for u in re.findall(r"https?://\S+", message.body) if fragment in u))


@pytest.mark.browser
def test_publish_confirm_edit_and_delete_on_a_phone(mobile_page, live_site):
    page = mobile_page
    home = Site.objects.get(is_default_site=True).root_page
    publish = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=publish)
    publish.save_revision().publish()
    mail.outbox.clear()

    page.goto(live_site + publish.url)
    # Submitting empty: errors summarised at the top, each linked to its field.
    page.get_by_role("button", name="Publier ma fiche").click()
    settle(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator('a[href="#id_public_name"]').count() == 1

    # The focus is on the summary, so that a screen reader reads it first.
    assert page.evaluate("document.activeElement.id") == "error-summary"

    # One sector shows; the next one on demand.
    assert not page.locator("#id_sectors-1-kind_0").is_visible()
    page.get_by_role("button", name="Ajouter un autre secteur").click()
    # Each sector shows only the fields of its kind: a commune and a radius by default.
    assert page.locator("#id_sectors-1-commune").is_visible()
    assert not page.locator("#id_sectors-1-departement").is_visible()
    page.locator("#id_sectors-1-kind_1").check()  # "un département"
    assert page.locator("#id_sectors-1-departement").is_visible()
    assert not page.locator("#id_sectors-1-commune").is_visible()
    assert not page.locator("#id_sectors-1-radius_km_0").is_visible()
    page.locator("#id_sectors-1-kind_0").check()  # back to the unused default

    page.get_by_label("Nom public").fill("Sacha")
    page.get_by_label("couple", exact=True).check()
    page.locator("#id_sectors-0-commune").fill("Saint-Étienne")
    page.get_by_label("Votre adresse email").fill("sacha@example.org")
    page.get_by_label("J'accepte la publication de cette fiche sur le site").check()
    page.get_by_role("button", name="Publier ma fiche").click()
    settle(page)
    assert page.get_by_role("heading", name="Vérifiez votre boîte mail").is_visible()
    assert not Profile.objects.public().exists()

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["sacha@example.org"]
    page.goto(live_site + link_in(confirmation, "/confirmer/"))
    page.get_by_role("button", name="Confirmer mon adresse et publier").click()
    settle(page)
    assert "publiée" in page.locator("#profile-status").inner_text()
    profile = Profile.objects.get()
    assert profile.live and profile.sectors.get().commune.insee_code == "42218"

    # Later, from the management link of the email: edit, then delete.
    context = page.context
    context.clear_cookies()
    page.goto(live_site + link_in(confirmation, "/lien/"))
    page.get_by_role("button", name="Ouvrir ma fiche").click()
    page.get_by_role("link", name="Modifier ma fiche").click()
    page.get_by_label("Nom public").fill("Sacha et Lou")
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    settle(page)
    assert Profile.objects.get().public_name == "Sacha et Lou"

    page.get_by_role("link", name="Supprimer ma fiche").click()
    page.get_by_label(
        "Je comprends que ma fiche et toutes ses données seront effacées définitivement"
    ).check()
    page.get_by_role("button", name="Supprimer ma fiche maintenant").click()
    settle(page)
    assert page.get_by_role("heading", name="Votre fiche est supprimée").is_visible()
    assert not Profile.objects.exists()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def make_publish_page():
    home = Site.objects.get(is_default_site=True).root_page
    publish = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=publish)
    publish.save_revision().publish()
    return publish


@pytest.mark.browser
def test_one_sector_shows_the_next_ones_on_demand(mobile_page, live_site):
    page = mobile_page
    page.goto(live_site + make_publish_page().url)
    sectors = page.locator("[data-fv-sector]")
    assert [sectors.nth(i).is_visible() for i in range(3)] == [True, False, False]
    add = page.get_by_role("button", name="Ajouter un autre secteur")
    add.click()
    assert [sectors.nth(i).is_visible() for i in range(3)] == [True, True, False]
    # The revealed sector takes the focus, for the keyboard.
    assert page.evaluate("document.activeElement.id") == "id_sectors-1-kind_0"
    add.click()
    assert [sectors.nth(i).is_visible() for i in range(3)] == [True, True, True]
    assert not add.is_visible()  # no fourth sector


@pytest.mark.browser
def test_without_javascript_every_sector_stays_available(browser, live_site):
    context = browser.new_context(viewport=MOBILE_VIEWPORT, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_site + make_publish_page().url)
        sectors = page.locator("[data-fv-sector]")
        assert [sectors.nth(i).is_visible() for i in range(3)] == [True, True, True]
    finally:
        context.close()
