"""The contact relay, first part: the form of the profile page, its abuse layers, the
emails through the outbox and the erasure of message bodies."""

import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from profiles_module import schedule
from profiles_module.contact.forms import ContactForm
from profiles_module.contact.views import PROOF_COOKIE, PROOF_SALT, VERIFY_SALT
from profiles_module.models import ContactMessage, OutgoingEmail, ProfileEvent
from profiles_module.models.contact import hash_address
from profiles_module.publication import lifecycle
from tests.factories import make_profile
from tests.helpers import prove_senders

pytestmark = pytest.mark.django_db

RECIPIENT = "dominique@example.org"
SENDER = "sacha@example.net"
NEWCOMER = "Camille.Neuve@example.net"


def proven_hashes(response):
    """The address hashes of the proof cookie a response sets (none if it sets none)."""
    cookie = response.cookies.get(PROOF_COOKIE)
    if cookie is None:
        return []
    return signing.TimestampSigner(salt=PROOF_SALT).unsign(cookie.value).split(".")


@pytest.fixture(autouse=True)
def verified_sender(client):
    """SENDER confirmed their address before, in this browser; NEWCOMER never did."""
    prove_senders(client, SENDER)


@pytest.fixture
def profile():
    return make_profile(public_name="Dominique", email=RECIPIENT)


def form_token(profile, age=10):
    """A form token as if the form had been shown `age` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - age):
        return ContactForm(profile=profile).initial["form_token"]


def post(client, profile, *, age=10, ip="203.0.113.5", **fields):
    data = {
        "sender_name": "Sacha",
        "sender_address": SENDER,
        "message": "Bonjour, nous cherchons aussi près de Saint-Étienne.",
        "website": "",
        "form_token": form_token(profile, age),
    } | fields
    url = reverse("profiles_module:contact", args=[profile.uid])
    return client.post(url, data, REMOTE_ADDR=ip)


def nothing_stored():
    return not ContactMessage.objects.exists() and not OutgoingEmail.objects.exists()


def verify_link(email):
    return next(line for line in email.body.splitlines() if "/contact/confirmer/" in line)


def test_profile_page_shows_the_form_and_the_reply_to_notice(client, profile):
    html = client.get(profile.get_absolute_url()).content.decode()
    assert reverse("profiles_module:contact", args=[profile.uid]) in html
    assert 'name="form_token"' in html and 'name="website"' in html
    assert "Reply-To" in html
    assert RECIPIENT not in html
    # The sender's address field is an email input (phones show the right keyboard).
    assert 'type="email"' in html


def test_valid_message_is_stored_and_relayed(client, profile):
    response = post(client, profile)
    assert response.status_code == 302
    assert response["Location"].endswith("?contact=sent#contact")

    message = ContactMessage.objects.get()
    assert message.recipient == profile and message.recipient_uid == profile.uid
    assert message.sender_name == "Sacha" and message.sender_email == SENDER
    assert message.status == ContactMessage.Status.SENT
    assert message.body.startswith("Bonjour")

    assert len(mail.outbox) == 2
    to_recipient, copy = sorted(mail.outbox, key=lambda email: email.to != [RECIPIENT])
    assert to_recipient.to == [RECIPIENT] and to_recipient.reply_to == [SENDER]
    assert "Sacha" in to_recipient.subject
    assert "près de Saint-Étienne" in to_recipient.body
    assert "reste masquée" in to_recipient.body
    assert SENDER not in to_recipient.body and RECIPIENT not in to_recipient.body
    html = to_recipient.alternatives[0].content
    assert "près de Saint-Étienne" in html
    assert copy.to == [SENDER] and not copy.reply_to
    assert "Dominique" not in copy.subject and "Sacha" not in copy.subject
    assert RECIPIENT not in copy.body and RECIPIENT not in copy.alternatives[0].content
    assert "près de Saint-Étienne" in copy.body

    event = ProfileEvent.objects.get(kind=ProfileEvent.Kind.CONTACT_RECEIVED)
    assert event.profile == profile and "Bonjour" not in event.detail
    # Sent emails keep neither their bodies nor the sender's address.
    assert not OutgoingEmail.objects.exclude(text_body="").exists()
    assert not OutgoingEmail.objects.exclude(reply_to="").exists()

    page = client.get(response["Location"]).content.decode()
    assert SENDER not in page and RECIPIENT not in page
    assert "Votre message a été envoyé" in page


def test_honeypot_pretends_success_and_stores_nothing(client, profile):
    response = post(client, profile, website="http://spam.example")
    assert response.status_code == 302
    assert nothing_stored() and not mail.outbox


@pytest.mark.parametrize("age", [0, 1, 2 * 3600 + 5])
def test_too_fast_or_expired_token_is_refused_and_text_kept(client, profile, age):
    response = post(client, profile, age=age)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="fv-contact-token-error"' in html
    assert "près de Saint-Étienne" in html and 'value="Sacha"' in html
    assert nothing_stored() and not mail.outbox


def test_token_of_another_profile_or_forged_is_refused(client, profile):
    other = make_profile(public_name="Alix", email="alix@example.org")
    assert post(client, profile, form_token=form_token(other)).status_code == 400
    assert post(client, profile, form_token="forged:1:abc").status_code == 400
    assert nothing_stored()


def test_a_refused_form_gets_a_fresh_token(client, profile):
    html = post(client, profile, age=0).content.decode()
    token = html.split('name="form_token" value="')[1].split('"')[0]
    assert signing.TimestampSigner(salt=ContactForm.SALT).unsign(token) == str(profile.uid)


@override_settings(PROFILES_CONTACT_PER_IP_PER_HOUR=2)
def test_one_past_the_limit_per_ip_is_429(client, profile):
    assert post(client, profile).status_code == 302
    assert post(client, profile).status_code == 302
    before = (ContactMessage.objects.count(), OutgoingEmail.objects.count(), len(mail.outbox))
    response = post(client, profile)
    assert response.status_code == 429
    assert "Trop de messages" in response.content.decode()
    assert (
        ContactMessage.objects.count(),
        OutgoingEmail.objects.count(),
        len(mail.outbox),
    ) == before
    # Another IP is not limited.
    assert post(client, profile, ip="203.0.113.6").status_code == 302


def post_via_proxy(client, profile, forwarded_for):
    """A post through one reverse proxy (127.0.0.1) that appended the visitor's address."""
    data = {
        "sender_name": "Sacha",
        "sender_address": SENDER,
        "message": "Bonjour, nous cherchons aussi près de Saint-Étienne.",
        "website": "",
        "form_token": form_token(profile),
    }
    url = reverse("profiles_module:contact", args=[profile.uid])
    return client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


@override_settings(PROFILES_CONTACT_PER_IP_PER_HOUR=2, PROFILES_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_limit_per_ip_counts_each_visitor_not_the_proxy(client, profile):
    assert post_via_proxy(client, profile, "203.0.113.5").status_code == 302
    assert post_via_proxy(client, profile, "203.0.113.5").status_code == 302
    # What the client itself put in the header (left of the proxy's entry) changes nothing.
    assert post_via_proxy(client, profile, "10.9.9.9, 203.0.113.5").status_code == 429
    # Another visitor behind the same proxy is not limited.
    assert post_via_proxy(client, profile, "203.0.113.6").status_code == 302


@override_settings(PROFILES_CONTACT_PER_IP_PER_HOUR=2)
def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, profile):
    for forged in ("203.0.113.5", "203.0.113.6"):
        assert post_via_proxy(client, profile, forged).status_code == 302
    assert post_via_proxy(client, profile, "203.0.113.7").status_code == 429


def test_default_limits():
    from profiles_module.conf import app_settings

    assert app_settings.CONTACT_PER_IP_PER_HOUR == 5
    assert app_settings.CONTACT_PER_RECIPIENT_PER_DAY == 10
    assert app_settings.CONTACT_BODY_DAYS == 30


@override_settings(PROFILES_CONTACT_PER_RECIPIENT_PER_DAY=3)
def test_one_past_the_limit_per_recipient_is_429(client, profile):
    for number in range(3):
        assert post(client, profile, ip=f"198.51.100.{number}").status_code == 302
    before = (ContactMessage.objects.count(), OutgoingEmail.objects.count(), len(mail.outbox))
    assert before == (3, 6, 6)
    assert post(client, profile, ip="198.51.100.99").status_code == 429
    assert (
        ContactMessage.objects.count(),
        OutgoingEmail.objects.count(),
        len(mail.outbox),
    ) == before
    # Another household can still be written to.
    other = make_profile(public_name="Alix", email="alix@example.org")
    assert post(client, other, ip="198.51.100.98").status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "Sacha\r\nBcc: victim@example.org",
        "Sacha\nSubject: spam",
        "Sacha\rX",
        "Sacha\u2028X",
        "=?utf-8?q?Sacha=0ABcc=3A_x=40example.org?=",
        "<b>Sacha</b>",
    ],
)
def test_header_injection_in_name_is_refused(client, profile, name):
    response = post(client, profile, sender_name=name)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert nothing_stored() and not mail.outbox


def test_hostile_body_is_stored_inert(client, profile):
    body = '<script>alert("x")</script>\r\nBcc: victim@example.org\n<img src=x onerror=alert(1)>'
    assert post(client, profile, message=body).status_code == 302
    # Stored as typed, but with the browser's CRLF line breaks as LF.
    assert ContactMessage.objects.get().body == body.replace("\r\n", "\n")
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    assert to_recipient.bcc == [] and "victim" not in str(to_recipient.message()["Bcc"] or "")
    assert "Sacha" in to_recipient.subject and "script" not in to_recipient.subject
    html = to_recipient.alternatives[0].content
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_line_breaks_count_once_against_the_length_as_in_the_browser(client, profile):
    # Browsers send CRLF but count a line break as one character against maxlength.
    body = ("Bonjour\r\n" * 625)[:-2]  # 5,623 characters as sent, 4,999 once CRLF is LF
    assert post(client, profile, message=body).status_code == 302
    assert ContactMessage.objects.get().body == body.replace("\r\n", "\n")


def test_long_body_and_control_characters_are_refused(client, profile):
    assert post(client, profile, message="x" * 5001).status_code == 400
    assert post(client, profile, message="bonjour\x00").status_code == 400
    assert nothing_stored()


def test_bodies_are_erased_after_the_delay_metadata_stays(client, profile):
    assert post(client, profile).status_code == 302
    message = ContactMessage.objects.get()
    schedule.run(now=message.created_at + timedelta(days=29))
    message.refresh_from_db()
    assert message.body and message.body_erased_at is None

    later = message.created_at + timedelta(days=31)
    schedule.run(now=later)
    message.refresh_from_db()
    assert message.body == "" and message.body_erased_at == later
    assert message.sender_name == "Sacha" and message.recipient_uid == profile.uid
    assert message.status == ContactMessage.Status.SENT and message.created_at


def test_recipient_erased_keeps_the_message_metadata(client, profile):
    assert post(client, profile).status_code == 302
    uid = profile.uid
    lifecycle.erase(profile, "owner")
    message = ContactMessage.objects.get()
    assert message.recipient is None and message.recipient_uid == uid


@override_settings(PROFILES_EMAIL_MAX_ATTEMPTS=1)
def test_abandoned_email_marks_the_message_failed(client, profile):
    with mock.patch(
        "profiles_module.publication.emails.EmailMultiAlternatives.send",
        side_effect=OSError("down"),
    ):
        assert post(client, profile).status_code == 302
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.FAILED
    assert not OutgoingEmail.objects.exclude(reply_to="").exists()


def test_unpublished_profile_is_404(client):
    profile = make_profile(live=False, email=RECIPIENT)
    assert post(client, profile).status_code == 404
    assert nothing_stored()


def test_get_is_not_allowed(client, profile):
    assert client.get(reverse("profiles_module:contact", args=[profile.uid])).status_code == 405


# --- sender verification


def test_unverified_sender_gets_a_link_and_nothing_reaches_the_recipient(client, profile):
    response = post(client, profile, sender_address=NEWCOMER)
    assert response.status_code == 302
    assert response["Location"].endswith("?contact=verify#contact")
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.AWAITING_VERIFICATION
    assert message.email is None
    # Only the verification email, to the sender; nothing to the household.
    assert len(mail.outbox) == 1
    verify = mail.outbox[0]
    assert verify.to == [NEWCOMER] and not verify.reply_to
    assert RECIPIENT not in verify.body and "Saint-Étienne" not in verify.body
    assert not ProfileEvent.objects.filter(kind=ProfileEvent.Kind.CONTACT_RECEIVED).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Consultez votre messagerie" in page
    assert NEWCOMER not in page and NEWCOMER.lower() not in page

    url = verify_link(verify).split("://", 1)[1].split("/", 1)[1]
    # The link (in histories and logs) carries nothing that can be checked against a
    # guessed address without the site's secret key.
    payload = signing.loads(url.rstrip("/").rsplit("/", 1)[1], salt=VERIFY_SALT)
    plain = hashlib.sha256(NEWCOMER.lower().encode()).hexdigest()
    assert NEWCOMER.lower() not in str(payload) and plain not in str(payload)
    # GET (a mail scanner) shows a button and verifies nothing.
    response = client.get("/" + url)
    html = response.content.decode()
    assert 'method="post"' in html and NEWCOMER not in html
    assert PROOF_COOKIE not in response.cookies
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.AWAITING_VERIFICATION
    assert len(mail.outbox) == 1

    # The POST verifies the address and relays the message, once.
    response = client.post("/" + url)
    assert response.status_code == 200
    # This browser now holds the proof: only a keyed hash, out of reach of scripts and
    # of other sites.
    cookie = response.cookies[PROOF_COOKIE]
    assert hash_address(NEWCOMER) in proven_hashes(response)
    assert "camille" not in cookie.value.lower() and plain not in cookie.value
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.SENT
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    assert to_recipient.reply_to == [NEWCOMER]
    assert "près de Saint-Étienne" in to_recipient.body
    assert [email.to for email in mail.outbox].count([NEWCOMER]) == 2  # link and copy
    assert client.post("/" + url).status_code == 200
    assert len(mail.outbox) == 3


def test_each_waiting_message_has_its_link_then_later_ones_go_straight_out(client, profile):
    other = make_profile(public_name="Alix", email="alix@example.org")
    assert post(client, profile, sender_address=NEWCOMER).status_code == 302
    assert post(client, other, sender_address=NEWCOMER.lower()).status_code == 302
    assert ContactMessage.objects.filter(status="awaiting_verification").count() == 2
    for email in list(mail.outbox):
        url = verify_link(email).split("://", 1)[1].split("/", 1)[1]
        assert client.post("/" + url).status_code == 200
    assert set(ContactMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert {RECIPIENT, "alix@example.org"} <= {email.to[0] for email in mail.outbox}

    mail.outbox.clear()
    response = post(client, profile, sender_address=NEWCOMER.upper())
    assert response["Location"].endswith("?contact=sent#contact")
    assert any(email.to == [RECIPIENT] for email in mail.outbox)


def test_forged_or_expired_verification_link_is_refused(client, profile):
    assert post(client, profile, sender_address=NEWCOMER).status_code == 302
    url = "/" + verify_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert client.post(url[:-3] + "xx/").status_code == 404
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(url)
    assert response.status_code == 404 and PROOF_COOKIE not in response.cookies
    assert ContactMessage.objects.get().status == ContactMessage.Status.AWAITING_VERIFICATION


def test_signed_in_owner_writing_from_their_address_is_verified(client, profile):
    from profiles_module.publication.views import sign_in

    owner = make_profile(public_name="Noa", email="noa@example.org")
    request = mock.Mock(session=client.session)
    sign_in(request, owner)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    response = post(client, profile, sender_address="NOA@example.org")
    assert response.status_code == 302
    assert ContactMessage.objects.get().status == ContactMessage.Status.SENT
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    # The owner session proves the fiche is the sender's: the household sees it.
    assert owner.get_absolute_url() in to_recipient.body
    # The browser keeps the proof once the owner session ends.
    assert hash_address("noa@example.org") in proven_hashes(response)


def test_unverified_messages_are_erased_after_seven_days(client, profile):
    assert post(client, profile, sender_address=NEWCOMER).status_code == 302
    assert post(client, profile).status_code == 302  # verified, delivered
    waiting = ContactMessage.objects.get(status=ContactMessage.Status.AWAITING_VERIFICATION)
    schedule.run(now=waiting.created_at + timedelta(days=6))
    assert ContactMessage.objects.filter(pk=waiting.pk).exists()
    done = schedule.run(now=waiting.created_at + timedelta(days=7, minutes=1))
    assert done["contact_unverified_erased"] == 1
    assert not ContactMessage.objects.filter(pk=waiting.pk).exists()
    assert ContactMessage.objects.get().status == ContactMessage.Status.SENT
    assert not any(email.to == [RECIPIENT] and NEWCOMER in email.reply_to for email in mail.outbox)


# --- ContactRelayBlock


COORDINATION = "coordination@example.org"


def block_page(recipient=None, *, address=COORDINATION):
    """The demo "Contacter l'équipe" page, or one whose block writes to `recipient`."""
    from home.management.commands.setup_demo import create_contact_page
    from home.models import ContentPage, HomePage

    home = HomePage.objects.first()
    if recipient is None and address == COORDINATION:
        create_contact_page(home)
        create_contact_page(home)  # idempotent
        return ContentPage.objects.get(slug="contacter-l-equipe")
    page = ContentPage(
        title="Écrire",
        slug="ecrire",
        body=[
            (
                "contact",
                {"heading": "Écrire", "intro": "", "profile": recipient, "address": address},
            )
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def block_id_of(page):
    return next(child.id for child in page.body if child.block_type == "contact")


def post_block(client, page, *, age=10, ip="203.0.113.5", **fields):
    from profiles_module.contact.blocks import block_target

    block_id = block_id_of(page)
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - age):
        token = ContactForm(target=block_target(page.pk, block_id)).initial["form_token"]
    data = {
        "sender_name": "Sacha",
        "sender_address": SENDER,
        "message": "Bonjour l'équipe, une question sur ma fiche.",
        "website": "",
        "form_token": token,
    } | fields
    url = reverse("profiles_module:contact_block", args=[page.pk, block_id])
    return client.post(url, data, REMOTE_ADDR=ip)


def test_demo_contact_page_renders_the_form_without_the_address(client):
    from home.models import ContentPage

    page = block_page()
    assert ContentPage.objects.filter(slug="contacter-l-equipe").count() == 1
    assert page.show_in_menus and page.live
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Écrire à l&#x27;équipe de coordination" in html
    assert reverse("profiles_module:contact_block", args=[page.pk, block_id_of(page)]) in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="form_token"' in html
    assert COORDINATION not in html and "coordination@" not in html
    assert "Contacter l" in client.get("/").content.decode()


def test_block_posting_relays_to_the_fixed_address(client):
    page = block_page()
    response = post_block(client, page)
    assert response.status_code == 302
    assert response["Location"].startswith(page.url) and "contact=sent" in response["Location"]
    message = ContactMessage.objects.get()
    assert message.recipient is None and message.recipient_uid is None
    assert message.page_id == page.pk and message.block_id == block_id_of(page)
    assert message.status == ContactMessage.Status.SENT
    to_team = next(email for email in mail.outbox if email.to == [COORDINATION])
    assert to_team.reply_to == [SENDER]
    assert "une question sur ma fiche" in to_team.body
    assert "Contacter l'équipe" in to_team.body
    copy = next(email for email in mail.outbox if email.to == [SENDER])
    assert COORDINATION not in copy.body and COORDINATION not in copy.alternatives[0].content
    page_html = client.get(response["Location"]).content.decode()
    assert COORDINATION not in page_html and SENDER not in page_html


def test_block_unverified_sender_waits_for_confirmation(client):
    page = block_page()
    response = post_block(client, page, sender_address=NEWCOMER)
    assert "contact=verify" in response["Location"]
    assert [email.to for email in mail.outbox] == [[NEWCOMER]]
    url = "/" + verify_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    assert COORDINATION not in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    to_team = next(email for email in mail.outbox if email.to == [COORDINATION])
    assert to_team.reply_to == [NEWCOMER]


def test_block_refused_form_keeps_the_text_and_hides_the_address(client):
    page = block_page()
    response = post_block(client, page, age=0)
    assert response.status_code == 400
    html = response.content.decode()
    assert "une question sur ma fiche" in html and COORDINATION not in html
    assert nothing_stored()


def test_block_to_a_profile_relays_to_the_household(client, profile):
    page = block_page(profile, address="")
    html = client.get(page.url).content.decode()
    assert RECIPIENT not in html
    assert post_block(client, page).status_code == 302
    message = ContactMessage.objects.get()
    assert message.recipient == profile
    assert next(email for email in mail.outbox if email.to == [RECIPIENT]).reply_to == [SENDER]


def test_block_of_another_page_or_unknown_is_404(client):
    import uuid

    page = block_page()
    url = reverse("profiles_module:contact_block", args=[page.pk, uuid.uuid4()])
    assert client.post(url, {}).status_code == 404
    page.unpublish()
    assert post_block(client, page).status_code == 404
    assert nothing_stored()


def test_block_needs_exactly_one_recipient():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from profiles_module.blocks import ContactRelayBlock

    block = ContactRelayBlock()
    for profile, address in ((None, ""), (make_profile(), COORDINATION)):
        value = block.to_python(
            {"heading": "x", "intro": "", "profile": profile and profile.pk, "address": address}
        )
        with pytest.raises(StructBlockValidationError):
            block.clean(value)


def test_recipient_email_links_to_the_sender_fiche_when_there_is_one(client, profile):
    sender = make_profile(public_name="Sacha", email=SENDER.upper(), commune="69123")
    assert post(client, profile).status_code == 302
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    assert sender.get_absolute_url() in to_recipient.body
    assert sender.get_absolute_url() in to_recipient.alternatives[0].content
    copy = next(email for email in mail.outbox if email.to == [SENDER])
    assert sender.get_absolute_url() not in copy.body


def test_no_fiche_link_for_a_sender_without_a_public_fiche(client, profile):
    make_profile(public_name="Sacha", email=SENDER, commune="69123", live=False)
    assert post(client, profile).status_code == 302
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    assert "/fiches/" not in to_recipient.body.replace(profile.get_absolute_url(), "")


# --- a confirmation belongs to the browser that made it, not to the address


def path_of(url):
    return "/" + url.strip().split("://", 1)[1].split("/", 1)[1]


def confirm(client, profile, address, ip="198.51.100.200"):
    """`address` writes a first message to `profile` from `client`'s browser and confirms
    it through the link emailed to it; the outbox is emptied afterwards."""
    mail.outbox.clear()
    response = post(client, profile, sender_address=address, ip=ip)
    assert response["Location"].endswith("?contact=verify#contact")
    (email,) = [email for email in mail.outbox if email.to == [address]]
    assert client.post(path_of(verify_link(email))).status_code == 200
    mail.outbox.clear()


def test_a_confirmed_address_does_not_let_another_browser_write_as_it(client, profile):
    camille = make_profile(public_name="Camille", email=NEWCOMER, commune="69123")
    other = make_profile(public_name="Alix", email="alix@example.org")
    confirm(client, other, NEWCOMER)

    spoofer = Client()
    response = post(
        spoofer,
        profile,
        sender_address=NEWCOMER,
        message="Je suis Camille, vraiment.",
        ip="192.0.2.66",
    )
    # Another browser is asked to confirm, as for a first message: the address's owner
    # gets a new link, the household gets nothing (no Reply-To, no fiche link), and the
    # owner gets no "copy" of a message they never sent.
    assert response["Location"].endswith("?contact=verify#contact")
    assert [email.to for email in mail.outbox] == [[NEWCOMER]]
    assert "/contact/confirmer/" in mail.outbox[0].body
    assert "vraiment" not in mail.outbox[0].body
    spoofed = ContactMessage.objects.get(recipient=profile)
    assert spoofed.status == ContactMessage.Status.AWAITING_VERIFICATION
    assert not ProfileEvent.objects.filter(
        profile=profile, kind=ProfileEvent.Kind.CONTACT_RECEIVED
    ).exists()

    # The browser that confirmed still writes straight through, with its fiche linked.
    mail.outbox.clear()
    response = post(client, profile, sender_address=NEWCOMER.upper())
    assert response["Location"].endswith("?contact=sent#contact")
    to_recipient = next(email for email in mail.outbox if email.to == [RECIPIENT])
    assert to_recipient.reply_to == [NEWCOMER.upper()]
    assert camille.get_absolute_url() in to_recipient.body
    # The spoofed message is still waiting: writing from the right browser relays only
    # its own message.
    spoofed.refresh_from_db()
    assert spoofed.status == ContactMessage.Status.AWAITING_VERIFICATION


def test_confirming_a_message_relays_that_message_only(client, profile):
    other = make_profile(public_name="Alix", email="alix@example.org")
    spoofer = Client()
    assert post(spoofer, other, sender_address=NEWCOMER, ip="192.0.2.66").status_code == 302
    assert post(client, profile, sender_address=NEWCOMER).status_code == 302
    spoofed_link, own_link = [verify_link(email) for email in mail.outbox]
    assert client.post(path_of(own_link)).status_code == 200
    # The household Camille wrote to gets the message; Alix gets nothing from the
    # message someone else wrote in Camille's name.
    assert any(email.to == [RECIPIENT] for email in mail.outbox)
    assert not any(email.to == ["alix@example.org"] for email in mail.outbox)
    spoofed = ContactMessage.objects.get(recipient=other)
    assert spoofed.status == ContactMessage.Status.AWAITING_VERIFICATION
    # Its own link still relays it, if the address's owner chooses to.
    assert client.post(path_of(spoofed_link)).status_code == 200
    assert any(email.to == ["alix@example.org"] for email in mail.outbox)


@override_settings(PROFILES_CONTACT_PER_RECIPIENT_PER_DAY=1)
def test_the_recipient_limit_counts_messages_when_they_are_relayed(client, profile):
    first, second = Client(), Client()
    for number, (browser, address) in enumerate(
        [(first, "ada@example.net"), (second, "bo@example.net")]
    ):
        response = post(browser, profile, sender_address=address, ip=f"198.51.100.{number}")
        assert response["Location"].endswith("?contact=verify#contact")
    first_link, second_link = [path_of(verify_link(email)) for email in mail.outbox]
    assert first.post(first_link).status_code == 200
    assert [email.to for email in mail.outbox].count([RECIPIENT]) == 1
    # The household's daily limit is reached: the second confirmation waits, and says so.
    response = second.post(second_link)
    assert response.status_code == 429
    assert "Trop de messages" in response.content.decode()
    assert [email.to for email in mail.outbox].count([RECIPIENT]) == 1
    waiting = ContactMessage.objects.get(sender_email="bo@example.net")
    assert waiting.status == ContactMessage.Status.AWAITING_VERIFICATION
    # A new day (the counters start again): the same link relays it.
    cache.clear()
    assert second.post(second_link).status_code == 200
    assert [email.to for email in mail.outbox].count([RECIPIENT]) == 2
