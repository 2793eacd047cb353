"""A visitor writes to a household from a phone, confirms their address, and the message
is relayed: no address ever appears in a page the site serves."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from home.models import HomePage
from profiles_module.models import MapPage
from tests.browser import settle
from tests.factories import make_profile

HOUSEHOLD = "foyer-prive@example.org"
VISITOR = "visiteur@example.net"
MESSAGE = (
    "Bonjour Camille,\n"
    "Nous cherchons aussi un habitat partagé autour de Saint-Étienne. "
    "Voulez-vous qu'on en parle ?"
)
# The form field of the visitor's address, as the server renders it.
ADDRESS_INPUT = re.compile(r'<input\b[^>]*\bname="sender_address"[^>]*>')


def text_of(email):
    """The text body, its line breaks as typed: a browser sends a textarea's as CRLF."""
    return email.body.replace("\r\n", "\n")


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(message, fragment):
    return path_of(next(u for u in re.findall(r"https?://\S+", message.body) if fragment in u))


def spellings(address):
    """The address as it could appear in HTML, JSON or a URL."""
    local, domain = address.split("@")
    return [f"{local}{at}{domain}" for at in ("@", "%40", "&#64;", "&#x40;", "\\u0040")]


# Lowercase needles; the household's local part alone is specific enough to look for too.
FORBIDDEN = [*spellings(HOUSEHOLD), "foyer-prive", *spellings(VISITOR)]


def without_own_address_value(html):
    """`html` with the value of the visitor's address field removed, and only that.

    A form refused for another reason (here: the message was forgotten) is shown again
    with what the visitor typed, their address included, so that they do not have to
    type it again. That is right: the page is the answer to their own POST, sent to
    them alone and never cached (the view is never_cache). Anywhere else in that page
    (an error message, a data attribute, a script) the address would be a leak, and
    so would be any other page holding it.
    """

    def strip(match):
        return match.group(0).replace(f'value="{VISITOR}"', 'value=""')

    return ADDRESS_INPUT.sub(strip, html)


class Sources:
    """The HTML of every page visited and the body of every document, XHR and fetch
    response of the live server, read while the page that loaded them is displayed
    (Chromium drops the bodies of a previous document's responses)."""

    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url
        self.pending = []
        self.texts = []  # (where, text)
        self.documents = []  # URLs of the document bodies read
        page.on("response", self.on_response)

    def on_response(self, response):
        kind = response.request.resource_type
        if kind in {"document", "xhr", "fetch"} and response.url.startswith(self.base_url):
            self.pending.append(response)

    def snapshot(self):
        """Record the page displayed and the responses received since the last call."""
        settle(self.page)
        self.texts.append((f"DOM of {self.page.url}", self.page.content()))
        for response in self.pending:
            where = f"{response.request.method} {response.url} ({response.status})"
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers_array())
            self.texts.append((f"headers of {where}", headers))
            if not 300 <= response.status < 400:  # a redirect has no body
                self.texts.append((f"body of {where}", response.body().decode()))
                if response.request.resource_type == "document":
                    self.documents.append(path_of(response.url))
        self.pending = []

    def assert_no_address(self, pages):
        assert not self.pending, "snapshot() after the last page"
        assert len(self.documents) == pages, self.documents  # every page was read
        for where, text in self.texts:
            text = without_own_address_value(text).lower()
            for needle in FORBIDDEN:
                assert needle not in text, f"{needle!r} in the {where}"


@pytest.mark.browser
def test_write_to_a_household_confirm_and_relay_on_a_phone(mobile_page, live_site, settings):
    page = mobile_page
    # The form refuses messages sent sooner than PROFILES_CONTACT_FORM_MIN_SECONDS after it
    # was shown (bots);
    # Playwright fills it faster than that, and the test must not sleep.
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    home = HomePage.objects.first()
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    profile = make_profile(public_name="Camille", email=HOUSEHOLD)
    mail.outbox.clear()
    sources = Sources(page, live_site)

    # From the map page's list of results; its markers are fetched once the map is shown
    # (checked as well).
    page.goto(live_site + map_page.url)
    page.get_by_role("button", name="Sur la carte").click()
    page.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.count === '1'")
    page.get_by_role("button", name="En liste").click()
    sources.snapshot()
    with page.expect_navigation():
        page.locator(".fv-card__name").get_by_role("link", name="Camille").click()
    sources.snapshot()
    heading = page.get_by_role("heading", name="Écrire à Camille")
    expect(heading).to_be_visible()
    # Before sending, the visitor is told that an answer shows the household their address.
    expect(
        page.get_by_text(
            "Si le foyer vous répond, il voit votre adresse électronique, "
            "car sa réponse y est envoyée (Reply-To)."
        )
    ).to_be_visible()

    # Keyboard: from the form's heading, Tab goes through the fields in order, then to
    # the button (the honeypot, tabindex=-1, is skipped); each field has a visible label.
    # The labels end with " :" (French typography).
    fields = {
        "Votre nom": page.get_by_label("Votre nom"),
        "Votre adresse électronique": page.get_by_label("Votre adresse électronique"),
        "Votre message": page.get_by_label("Votre message"),
    }
    heading.click()
    for field in fields.values():
        page.keyboard.press("Tab")
        expect(field).to_be_focused()
        expect(page.locator(f'label[for="{field.get_attribute("id")}"]')).to_be_visible()
    page.keyboard.press("Tab")
    send = page.get_by_role("button", name="Envoyer le message")
    expect(send).to_be_focused()

    # The message forgotten: the form comes back with an error, what was typed kept.
    fields["Votre nom"].fill("Dominique")
    fields["Votre adresse électronique"].fill(VISITOR)
    with page.expect_navigation():
        send.click()
    sources.snapshot()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(fields["Votre adresse électronique"]).to_have_value(VISITOR)
    assert not mail.outbox

    fields["Votre message"].fill(MESSAGE)
    with page.expect_navigation():
        send.click()
    sources.snapshot()
    expect(page.get_by_role("status")).to_contain_text("Consultez votre messagerie")
    # Nothing for the household yet: only the visitor's verification email.
    assert [m.to for m in mail.outbox] == [[VISITOR]]
    verification = mail.outbox[0]
    assert HOUSEHOLD not in verification.message().as_string()

    # The link of the email shows a button (a GET changes nothing); its POST verifies.
    page.goto(live_site + link_in(verification, "/contact/confirmer/"))
    sources.snapshot()
    expect(page.get_by_role("heading", name="Confirmez votre adresse")).to_be_visible()
    assert len(mail.outbox) == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer mon adresse et envoyer mon message").click()
    sources.snapshot()
    expect(page.get_by_role("heading", name="Votre adresse est confirmée")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Votre message a été envoyé")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The household's email: to them, answered to the visitor, with the message.
    assert len(mail.outbox) == 3, [m.to for m in mail.outbox]
    to_household = next(m for m in mail.outbox if m.to == [HOUSEHOLD])
    assert to_household.reply_to == [VISITOR]
    assert MESSAGE in text_of(to_household)
    assert "Dominique" in to_household.subject
    # The visitor's copy, which does not reveal the household's address.
    copy = next(m for m in mail.outbox[1:] if m.to == [VISITOR])
    assert MESSAGE in text_of(copy)
    assert not copy.reply_to
    assert HOUSEHOLD not in copy.message().as_string()

    # Map, profile, form refused, profile after sending, verification GET and POST.
    sources.assert_no_address(pages=6)

    # The browser that confirmed writes again: the message goes straight out (the
    # confirmation's cookie travels with the form's POST in a real browser).
    mail.outbox.clear()
    page.goto(live_site + profile.get_absolute_url())
    fields["Votre nom"].fill("Dominique")
    fields["Votre adresse électronique"].fill(VISITOR)
    fields["Votre message"].fill("Et une seconde question.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("status")).to_contain_text("Votre message a été envoyé")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([HOUSEHOLD, VISITOR])
