"""What a newcomer meets in the first minutes of the demo: forms that keep working after
an error, and emails whose links can be followed."""

import html as html_lib
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from profiles_module.forms import ContactForm
from profiles_module.models import ContactMessage, PublishPage, VerifiedSender
from tests.factories import make_profile

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
def no_minimum_delay():
    """The contact forms refuse a message sent within seconds of the form being shown;
    a person waits that long, the test does not."""
    with mock.patch.object(ContactForm, "MIN_SECONDS", 0):
        yield


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

    VerifiedSender.verify(SENDER)
    create_contact_page(HomePage.objects.first())
    page = ContentPage.objects.get(slug=CONTACT_PAGE_SLUG)
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    action = reverse("profiles_module:contact_block", args=[page.pk, block_id])
    send_contact_twice(browser(), page.url, action)
    message = ContactMessage.objects.get()
    assert message.sender_name == "Sacha Typed" and message.page_id == page.pk


def test_fiche_contact_form_still_sends_after_an_error():
    VerifiedSender.verify(SENDER)
    profile = make_profile(public_name="Dominique", email="dominique@example.org")
    profile.save_revision().publish()
    action = reverse("profiles_module:contact", args=[profile.uid])
    send_contact_twice(browser(), profile.get_absolute_url(), action)
    assert ContactMessage.objects.get().sender_name == "Sacha Typed"


def test_publish_form_still_publishes_after_an_error():
    from tests.test_publish import form_data

    home = Site.objects.get(is_default_site=True).root_page
    page = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=page)
    page.save_revision().publish()
    client = browser()
    html = client.get(page.url).content.decode()
    data = form_data(public_name="Maëlle Typed", publication_consent=None)
    first = client.post(
        page.url, data | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")}
    )
    assert first.status_code == 200 and 'id="error-summary"' in first.content.decode()
    html = first.content.decode()
    assert 'value="Maëlle Typed"' in html
    data = form_data(public_name="Maëlle Typed")
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
    from profiles_module import tokens
    from tests.test_manage import edit_data

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
        edit_data(profile, public_name="<b>Typed</b>")
        | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")},
    )
    html = first.content.decode()
    assert 'id="error-summary"' in html and "&lt;b&gt;Typed&lt;/b&gt;" in html
    second = client.post(
        url,
        edit_data(profile, public_name="Typed")
        | {"csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken")},
    )
    assert second.status_code == 302
    profile.refresh_from_db()
    assert profile.public_name == "Typed"
