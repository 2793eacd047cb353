"""Every link of every email works as the recipient gets it: each email is read from the
bytes that were sent (MIME, quoted-printable or base64, text and HTML parts decoded), every
link must start with the site's configured address, and each is opened in Chromium, right
after its email is sent (before a later step uses its token): no error status, no console
error.

The emails: the confirmation of a new fiche, the management link asked for again, the
notice of an address already registered, the sender's confirmation, the message relayed to
a household (with its block and report links) and the sender's copy, a reminder, an update
request, a warning before erasure, the notice of a hidden fiche, an address change, the
confirmation of a search alert and a digest of new fiches.
"""

import email
import html
import re
from email import policy
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from profiles_module.alerts.emails import send_digests
from profiles_module.contact.forms import ContactForm
from profiles_module.models import MapPage, Profile
from profiles_module.publication import lifecycle
from profiles_module.publication.emails import queue_email
from tests.factories import publish_form_data

from . import is_local, settle

URL = re.compile(r"https?://[^\s<>\"']+")
HREF = re.compile(r"""href=["']([^"']+)["']""")


def links_as_received(message):
    """The links of `message` as its recipient reads them: from the bytes sent."""
    received = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    found = []
    for part in received.walk():
        if part.get_content_type() == "text/plain":
            found += URL.findall(part.get_content())
        elif part.get_content_type() == "text/html":
            found += [html.unescape(href) for href in HREF.findall(part.get_content())]
    return list(dict.fromkeys(link.rstrip(".,;)") for link in found))


class Reader:
    """Opens the links of each new email in the browser, and keeps what went wrong."""

    def __init__(self, page, site_url):
        self.page, self.site_url, self.seen, self.problems = page, site_url, 0, []
        self.opened = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"console: {message.text}")
                if message.type == "error"
                and is_local(message.location.get("url") or site_url)
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )

    def read_new_emails(self):
        for message in mail.outbox[self.seen :]:
            links = links_as_received(message)
            if not links:
                self.problems.append(f"«{message.subject}»: no link")
            for link in links:
                if link.startswith("mailto:"):
                    continue
                if not link.startswith(self.site_url + "/"):
                    self.problems.append(f"«{message.subject}»: {link} is not on the site")
                    continue
                response = self.page.goto(link)
                settle(self.page)
                self.opened.append(urlsplit(link).path)
                if response.status >= 400:
                    self.problems.append(f"«{message.subject}»: {link} answered {response.status}")
        self.seen = len(mail.outbox)


@pytest.fixture
def site_url(live_site):
    """The demo's pages, and the site's address set to the live server's."""
    parts = urlsplit(live_site)
    call_command("setup_demo", profiles=0, host=parts.hostname, port=parts.port, verbosity=0)
    return live_site


@pytest.mark.browser
def test_every_link_of_every_email_opens(page, site_url, client, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    reader = Reader(page, site_url)
    mail.outbox.clear()

    # A household publishes: the confirmation, then it confirms.
    client.post("/publier-ma-fiche/", publish_form_data(email="maelle@example.org"))
    reader.read_new_emails()
    confirm = next(link for link in links_as_received(mail.outbox[-1]) if "/confirmer/" in link)
    client.post(urlsplit(confirm).path)
    household = Profile.objects.get(email="maelle@example.org")
    assert household.live

    # Publishing again with the same address; asking for a new link.
    client.post("/publier-ma-fiche/", publish_form_data(email="maelle@example.org"))
    client.post("/futurs-voisins/nouveau-lien/", {"email": "maelle@example.org"})
    reader.read_new_emails()

    # A visitor writes: the address to confirm, then the message and the copy.
    visitor = {
        "sender_name": "Sacha",
        "sender_address": "sacha@example.net",
        "message": "Bonjour, toujours à Firminy ?",
        "website": "",
        "form_token": ContactForm(profile=household).initial["form_token"],
    }
    client.post(f"/futurs-voisins/fiches/{household.uid}/contact/", visitor)
    verify = next(link for link in links_as_received(mail.outbox[-1]) if "/contact/" in link)
    reader.read_new_emails()
    client.post(urlsplit(verify).path)
    assert any("maelle@example.org" in message.to for message in mail.outbox[reader.seen :])
    reader.read_new_emails()

    # What the scheduled pass and the owner's pages send.
    household.refresh_from_db()
    queue_email(household, "reminder", context={"stage": 1})
    reader.read_new_emails()
    lifecycle.request_update(household)
    reader.read_new_emails()
    queue_email(household, "erasure_warning", context={"erase_on": timezone.now()})
    reader.read_new_emails()
    queue_email(household, "hidden")
    reader.read_new_emails()
    lifecycle.request_email_change(household, "maelle.nouvelle@example.org")
    reader.read_new_emails()

    # A visitor saves a search of the map: the confirmation of the alert. The demo's
    # alert (the région of the household's fiche) gets its digest.
    client.post(
        "/futurs-voisins/alertes/",
        {
            "address": "lou@example.net",
            "frequency": "daily",
            "page": MapPage.objects.get(slug="trouver", locale__language_code="fr").pk,
            "query": "departement=42",
        },
    )
    reader.read_new_emails()
    assert send_digests() == 1
    reader.read_new_emails()

    assert reader.problems == [], "\n".join(reader.problems)
    kinds = {path.split("/")[2] for path in reader.opened if path.startswith("/futurs-voisins/")}
    # The owner's links, the confirmation, the sender's confirmation, block and report,
    # the alerts' confirmation, "see on the map" and unsubscribe.
    assert {"lien", "confirmer", "contact", "alertes", "fiches"} <= kinds, kinds
    assert len(mail.outbox) >= 12
