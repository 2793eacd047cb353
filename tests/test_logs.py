"""The logs of a whole journey hold no email address and no link token: a household
publishes, confirms, opens its fiche by link; a visitor writes to it, confirms the
address and the household gets the message; a stale link, a server error quoting an
address. The lines are JSON, as production writes them."""

import io
import json
import sys

import pytest
import urls as site_urls
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils.log import configure_logging

from profiles_module.contact.forms import ContactForm
from tests.factories import make_profile, publish_form_data
from tests.helpers import confirm_link, links, path_of

pytestmark = pytest.mark.django_db

HOUSEHOLD = "dominique.journey@example.org"
VISITOR = "sacha.journey@example.net"


def failing_view(request):
    # What a database error says about a duplicate (PostgreSQL quotes the value).
    raise RuntimeError(f"duplicate key value: Key (email)=({HOUSEHOLD}) already exists.")


urlpatterns = [path("failing/", failing_view), *site_urls.urlpatterns]


@pytest.fixture
def json_log(monkeypatch):
    """The site's LOGGING as production sets it (JSON lines), into a buffer."""
    stream = io.StringIO()
    logging_config = {
        **settings.LOGGING,
        "handlers": {
            **settings.LOGGING["handlers"],
            "stderr": {**settings.LOGGING["handlers"]["stderr"], "formatter": "json"},
        },
    }
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", stream)
        configure_logging(settings.LOGGING_CONFIG, logging_config)
    yield stream
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_a_whole_journey_logs_no_address_and_no_token(json_log, client, publish_page, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    # The household publishes, confirms, comes back through its management link.
    client.post(publish_page.url, publish_form_data(email=HOUSEHOLD))
    confirmation = mail.outbox[-1]
    assert client.post(confirm_link(confirmation)).status_code in (200, 302)
    manage = next(path_of(url) for url in links(confirmation) if "/lien/" in url)
    assert client.get(manage).status_code == 200

    # A visitor writes from a new browser; the address is confirmed by its link.
    household = make_profile(public_name="Dominique", email="autre.foyer@example.org")
    visitor = Client()
    data = {
        "sender_name": "Sacha",
        "sender_address": VISITOR,
        "message": "Bonjour, nous cherchons aussi vers Saint-Étienne.",
        "website": "",
        "form_token": ContactForm(profile=household).initial["form_token"],
    }
    visitor.post(reverse("profiles_module:contact", args=[household.uid]), data)
    verify = next(url for url in links(mail.outbox[-1]) if "/contact/" in url)
    assert visitor.post(path_of(verify)).status_code in (200, 302)
    assert any("autre.foyer@example.org" in message.to for message in mail.outbox)

    # A stale link (logged with its path) and a server error quoting an address.
    client.get(manage.replace("/lien/", "/lien/x").rstrip("/") + "z/")
    with override_settings(ROOT_URLCONF=__name__):
        assert Client(raise_request_exception=False).get("/failing/").status_code == 500

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    logged = json_log.getvalue()
    assert {"level": "WARNING", "message": "Gone: /futurs-voisins/lien/[…]/"}.items() <= next(
        line for line in lines if line["message"].startswith("Gone: ")
    ).items()
    error = next(line for line in lines if line["message"] == "Internal Server Error: /failing/")
    assert error["level"] == "ERROR" and error["status"] == 500
    assert "RuntimeError: duplicate key value: Key (email)=([adresse])" in error["traceback"]

    tokens = [
        segment
        for message in mail.outbox
        for url in links(message)
        for segment in path_of(url).split("/")
        if len(segment) >= 32
    ]
    assert len(tokens) >= 3
    for secret in [HOUSEHOLD, VISITOR, "autre.foyer@example.org", *tokens]:
        assert secret not in logged
