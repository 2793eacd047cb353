"""What a newcomer meets in the first minutes of the demo: forms that keep working after
an error, and emails whose links can be followed."""

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from profiles_module.models import ContactMessage, PublishPage
from tests.factories import edit_form_data, make_profile, publish_form_data

pytestmark = pytest.mark.django_db

SENDER = "sacha@example.net"
MESSAGE = "Bonjour l'équipe, une question sur ma fiche."


def hidden_value(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} in the page"
    return html_lib.unescape(match.group(1))


def browser():
    """A client that checks CSRF like a real server does."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture(autouse=True)
def no_minimum_delay(settings):
    """The contact forms refuse a message sent within seconds of the form being shown;
    a person waits that long, the test does not."""
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0


def send_contact_twice(client, page_url, action):
    """Fill only the name and send, then complete the re-rendered form and send again."""
    html = client.get(page_url).content.decode()
    first = client.post(
        action,
        {
            "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
            "form_token": hidden_value(html, "form_token"),
            "sender_name": "Sacha Typed",
        },
    )
    assert first.status_code == 400
    html = first.content.decode()
    assert 'value="Sacha Typed"' in html
    second = client.post(
        action,
        {
            "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
            "form_token": hidden_value(html, "form_token"),
            "sender_name": "Sacha Typed",
            "sender_address": SENDER,
            "message": MESSAGE,
        },
    )
    assert second.status_code == 302, second.content.decode()[:500]
    return second


def test_team_contact_form_still_sends_after_an_error():
    from home.management.commands.setup_demo import CONTACT_PAGE_SLUG, create_contact_page
    from home.models import ContentPage, HomePage

    create_contact_page(HomePage.objects.first())
    page = ContentPage.objects.get(slug=CONTACT_PAGE_SLUG)
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    action = reverse("profiles_module:contact_block", args=[page.pk, block_id])
    send_contact_twice(browser(), page.url, action)
    message = ContactMessage.objects.get()
    assert message.sender_name == "Sacha Typed" and message.page_id == page.pk


def test_fiche_contact_form_still_sends_after_an_error():
    profile = make_profile(public_name="Dominique", email="dominique@example.org")
    profile.save_revision().publish()
    action = reverse("profiles_module:contact", args=[profile.uid])
    send_contact_twice(browser(), profile.get_absolute_url(), action)
    assert ContactMessage.objects.get().sender_name == "Sacha Typed"


def test_publish_form_still_publishes_after_an_error():

    home = Site.objects.get(is_default_site=True).root_page
    page = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=page)
    page.save_revision().publish()
    client = browser()
    html = client.get(page.url).content.decode()
    data = publish_form_data(public_name="Maëlle Typed", publication_consent=None)
    first = client.post(
        page.url, data | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    )
    assert first.status_code == 200 and 'id="error-summary"' in first.content.decode()
    html = first.content.decode()
    assert 'value="Maëlle Typed"' in html
    data = publish_form_data(public_name="Maëlle Typed")
    second = client.post(
        page.url, data | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    )
    assert second.status_code == 302


def test_new_link_form_still_sends_after_an_error():
    client = browser()
    url = reverse("profiles_module:new_link")
    html = client.get(url).content.decode()
    first = client.post(
        url, {"email": "typed@", "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    )
    html = first.content.decode()
    assert first.status_code == 200 and 'value="typed@"' in html
    second = client.post(
        url,
        {
            "email": "typed@example.org",
            "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
        },
    )
    assert second.status_code == 200 and second.content.decode() != html


def test_edit_form_still_saves_after_an_error():
    from profiles_module.publication import tokens

    profile = make_profile(public_name="Maëlle", email="owner@example.org")
    profile.save_revision().publish()
    client = browser()
    link = reverse("profiles_module:owner_link", args=[tokens.issue(profile, "manage")])
    html = client.get(link).content.decode()
    signed_in = client.post(
        link, {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    )
    assert signed_in.status_code == 302
    url = reverse("profiles_module:manage_edit")
    html = client.get(url).content.decode()
    first = client.post(
        url,
        edit_form_data(profile, public_name="<b>Typed</b>")
        | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")},
    )
    html = first.content.decode()
    assert 'id="error-summary"' in html and "&lt;b&gt;Typed&lt;/b&gt;" in html
    second = client.post(
        url,
        edit_form_data(profile, public_name="Typed")
        | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")},
    )
    assert second.status_code == 302
    profile.refresh_from_db()
    assert profile.public_name == "Typed"


# --- the demo's emails: links that a person can click in the terminal

LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def printed_in_the_terminal(messages):
    """The emails as `make run` prints them: through development's email backend."""
    import importlib
    import io

    from django.utils.module_loading import import_string

    dev = importlib.import_module("settings.dev")
    backend = import_string(dev.MAILERS["default"]["BACKEND"])
    stream = io.StringIO()
    backend(stream=stream).send_messages(messages)
    return stream.getvalue()


@pytest.fixture
def demo_on_port_8010():
    """The demo as `make run PORT=8010` prepares it (few households)."""
    from django.core.management import call_command

    call_command("setup_demo", profiles=0, host="127.0.0.1", port=8010, stdout=io_sink())
    return "http://127.0.0.1:8010"


def io_sink():
    import io

    return io.StringIO()


def test_demo_site_and_partner_follow_the_served_port(demo_on_port_8010):
    from profiles_module.models import Partner

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == demo_on_port_8010
    assert demo_on_port_8010 in Partner.objects.get(slug="aura").allowed_origins.split()


def test_links_printed_in_the_terminal_lead_to_the_pages(demo_on_port_8010, client, mailoutbox):
    from home.management.commands.setup_demo import CONTACT_PAGE_SLUG
    from home.models import ContentPage

    root = demo_on_port_8010
    # Publish a fiche: the confirmation email.
    publish_page = PublishPage.objects.get(locale__language_code="fr")
    response = client.post(publish_page.url, publish_form_data(email="nouveau@example.org"))
    assert response.status_code == 302
    # Write to the team from an address never confirmed: the verification email.
    page = ContentPage.objects.get(slug=CONTACT_PAGE_SLUG, locale__language_code="fr")
    html = client.get(page.url).content.decode()
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    action = reverse("profiles_module:contact_block", args=[page.pk, block_id])
    response = client.post(
        action,
        {
            "form_token": hidden_value(html, "form_token"),
            "sender_name": "Sacha",
            "sender_address": "premiere-fois@example.net",
            "message": MESSAGE,
        },
    )
    assert response.status_code == 302 and "contact=verify" in response["Location"]
    assert len(mailoutbox) == 2

    printed = printed_in_the_terminal(mailoutbox)
    links = LINK_RE.findall(printed)
    confirm = [url for url in links if "/confirmer/" in url]
    verify = [url for url in links if "/contact/confirmer/" in url]
    assert confirm and verify
    for url in links:
        assert url.startswith(root + "/"), url
    for url in set(confirm + verify):
        assert client.get(url.removeprefix(root)).status_code == 200, url


def test_development_does_not_log_every_task():
    """Each immediate task logged two INFO lines: about sixty of them around each email
    printed in the terminal."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = (
        "import django, logging; django.setup(); "
        "logger = logging.getLogger('django.tasks'); "
        "print(logger.isEnabledFor(logging.INFO), logger.isEnabledFor(logging.WARNING))"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "settings.dev", "PYTHONPATH": str(root / "site")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


def test_map_search_with_an_unknown_commune_keeps_what_was_typed(client):
    from profiles_module.models import MapPage

    home = Site.objects.get(is_default_site=True).root_page
    page = MapPage(title="Trouver", slug="trouver")
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get(page.url, {"commune": "Saint-Nullepart-Typed", "radius": "20"})
    html = response.content.decode()
    assert "Saint-Nullepart-Typed" in html and 'value="Saint-Nullepart-Typed"' in html
