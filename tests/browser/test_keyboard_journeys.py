"""The three journeys of the tool with the keyboard alone, on the keys a person uses (Tab,
Space, arrows, Enter and typing), checking where the focus lands after each submission:
publish a fiche, search with criteria and open a result, write to a household."""

import pytest
from django.core import mail

from profiles_module.models import Profile
from tests.factories import make_map_page, make_profile

from . import settle

TAB_LIMIT = 150


def focused(page, expression="e.id"):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {expression}; }})()")


def tab_to(page, selector):
    """Press Tab until `selector` has the focus; fails if the keyboard never reaches it."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def submit(page, button="button[type=submit]"):
    """Tab to the form's button and press Enter; returns once the answer has loaded."""
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


@pytest.mark.browser
def test_publish_a_fiche_with_the_keyboard(page, live_site, publish_page):
    page.goto(live_site + publish_page.url)
    settle(page)
    # Sent at once, empty: the focus moves to the list of problems.
    submit(page)
    assert focused(page) == "error-summary"

    # Each problem links to its field: Enter on the first goes there.
    tab_to(page, '#error-summary a[href="#id_public_name"]')
    page.keyboard.press("Enter")
    assert focused(page) == "id_public_name"
    page.keyboard.type("Sacha")
    tab_to(page, "input[name=composition]")
    page.keyboard.press("ArrowDown")  # radios move with the arrows, Space ticks
    page.keyboard.press("Space")
    composition = focused(page, "e.value")
    type_into(page, "#id_sectors-0-commune", "Saint-Étienne")
    page.keyboard.press("Escape")  # closes the suggestions, keeps the text
    type_into(page, "#id_email", "sacha@example.org")
    tab_to(page, "#id_publication_consent")
    page.keyboard.press("Space")
    submit(page)

    assert page.get_by_role("heading", name="Vérifiez votre boîte mail").is_visible()
    # A new page: the first Tab is the skip link, at the top.
    page.keyboard.press("Tab")
    assert focused(page, "e.classList.contains('skip-link')")
    draft = Profile.objects.get()
    assert draft.public_name == "Sacha" and draft.composition == composition
    assert mail.outbox[-1].to == ["sacha@example.org"]


@pytest.mark.browser
def test_search_with_criteria_and_open_a_result_with_the_keyboard(page, live_site):
    map_page = make_map_page(slug="trouver")
    make_profile(public_name="Stéphane", commune="42218")
    make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    page.goto(live_site + map_page.url)
    settle(page)
    tab_to(page, "#id_departement")
    page.keyboard.type("Loire")  # a closed select picks the option typed
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    # Searched in place (search-live.js): the focus goes to the new count.
    page.wait_for_function("() => document.activeElement.id === 'fv-results-count'")
    settle(page)
    assert focused(page, "e.textContent.trim()") == "1 foyer correspond à votre recherche"

    tab_to(page, ".fv-card__name a")
    assert focused(page, "e.textContent.trim()") == "Stéphane"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Stéphane"
    settle(page)


@pytest.mark.browser
def test_write_to_a_household_with_the_keyboard(page, live_site, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    fiche = make_profile(public_name="Camille", email="camille@example.org")
    page.goto(live_site + fiche.get_absolute_url())
    settle(page)
    type_into(page, "#id_sender_name", "Sacha")
    type_into(page, "#id_message", "Bonjour, toujours à Firminy ?")
    submit(page, "#contact button[type=submit]")
    # The address is missing: the focus is on the problems, each leading to its field.
    assert focused(page) == "error-summary"
    tab_to(page, '#error-summary a[href="#id_sender_address"]')
    page.keyboard.press("Enter")
    assert focused(page) == "id_sender_address"
    assert focused(page, "e.getAttribute('aria-invalid')") == "true"
    assert page.locator("#id_message").input_value() == "Bonjour, toujours à Firminy ?"
    page.keyboard.type("sacha@example.net")
    submit(page, "#contact button[type=submit]")
    assert page.get_by_role("heading", level=1).is_visible()
    assert mail.outbox[-1].to == ["sacha@example.net"]
