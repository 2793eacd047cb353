"""The contact relay's abuse layers: rate limits per sender
and overall beside the per-IP and per-recipient ones (one past each limit, on both
forms, and shared through Redis), the recipients' block list, abuse reports and their
admin, the erasure of message texts in the outbox, and a header-injection corpus."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import normalize_newlines

from profiles_module import schedule
from profiles_module.contact.blocks import block_target
from profiles_module.contact.forms import ContactForm
from profiles_module.contact.retention import erase_contact_bodies
from profiles_module.contact.views import Recipient
from profiles_module.models import (
    AbuseReport,
    BlockedSender,
    ContactMessage,
    OutgoingEmail,
    ProfileEvent,
)
from profiles_module.models.contact import hash_address
from profiles_module.publication import lifecycle
from profiles_module.publication.emails import render_email
from tests.factories import make_profile
from tests.helpers import REDIS_URL, assert_no_trace, prove_senders, redis_key_prefix

pytestmark = pytest.mark.django_db

RECIPIENT = "dominique@example.org"
SENDER = "sacha@example.net"
OTHER_SENDER = "noa@example.net"
NEWCOMER = "camille.neuve@example.net"
COORDINATION = "coordination@example.org"
TEXT = "Bonjour, nous cherchons aussi près de Saint-Étienne."


@pytest.fixture(autouse=True)
def verified_senders(client):
    """SENDER and OTHER_SENDER confirmed their address before, in this browser; NEWCOMER
    never did."""
    prove_senders(client, SENDER, OTHER_SENDER)


@pytest.fixture
def profile():
    return make_profile(public_name="Dominique", email=RECIPIENT)


def signed_token(target, age=10):
    """A form token as if the form had been shown `age` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - age):
        return ContactForm(target=target).initial["form_token"]


class ProfileForm:
    """The contact form of a profile page."""

    kind = "profile"

    def __init__(self, profile):
        self.profile = profile
        self.url = reverse("profiles_module:contact", args=[profile.uid])
        self.target = str(profile.uid)
        self.address = profile.email

    def post(self, client, *, age=10, ip="203.0.113.5", **fields):
        data = {
            "sender_name": "Sacha",
            "sender_address": SENDER,
            "message": TEXT,
            "website": "",
            "form_token": signed_token(self.target, age),
        } | fields
        return client.post(self.url, data, REMOTE_ADDR=ip)


class BlockForm(ProfileForm):
    """The form of a ContactRelayBlock to a fixed address."""

    kind = "block"

    def __init__(self, page, block_id):
        self.profile = None
        self.page = page
        self.url = reverse("profiles_module:contact_block", args=[page.pk, block_id])
        self.target = block_target(page.pk, block_id)
        self.address = COORDINATION


def contact_page(slug="ecrire", address=COORDINATION, recipient=None):
    from home.models import ContentPage, HomePage

    page = ContentPage(
        title="Écrire à l'équipe",
        slug=slug,
        body=[
            (
                "contact",
                {"heading": "Écrire", "intro": "", "profile": recipient, "address": address},
            )
        ],
    )
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


def block_form(slug="ecrire"):
    page = contact_page(slug)
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    return BlockForm(page, block_id)


@pytest.fixture(params=["profile", "block"])
def form(request, profile):
    """Each test runs against both forms: the profile page's and the block's."""
    return ProfileForm(profile) if request.param == "profile" else block_form()


def another_recipient(form, number=1):
    """A second recipient of the same kind as `form`."""
    if form.kind == "profile":
        return ProfileForm(make_profile(public_name="Alix", email=f"alix{number}@example.org"))
    return block_form(f"ecrire-{number}")


def stored():
    return (ContactMessage.objects.count(), OutgoingEmail.objects.count(), len(mail.outbox))


def assert_limited(response, before):
    """429, the clear message, what was typed kept, nothing stored or queued."""
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de messages" in html
    assert escape(TEXT) in html
    assert stored() == before


def link(email, path):
    """The path of the link to `path` (e.g. "/contact/bloquer/") in an email's text."""
    url = next(line for line in email.body.splitlines() if path in line).strip()
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def to_recipient(address=RECIPIENT):
    return [email for email in mail.outbox if email.to == [address]]


# --- rate limits: one past each limit, on both forms


def test_default_limits():
    from profiles_module.conf import app_settings

    assert app_settings.CONTACT_PER_SENDER_PER_DAY == 20
    assert app_settings.CONTACT_OVERALL_PER_HOUR == 200
    assert app_settings.CONTACT_ACTION_LINK_DAYS == 90


@override_settings(PROFILES_CONTACT_PER_SENDER_PER_DAY=2)
def test_one_past_the_limit_per_sender_is_429(client, form):
    assert form.post(client, ip="198.51.100.1").status_code == 302
    # Another recipient: the limit follows the sender, whatever they write to.
    other = another_recipient(form)
    assert other.post(client, ip="198.51.100.2").status_code == 302
    before = stored()
    # The same address in another case, from another IP: still the same sender.
    response = form.post(client, ip="198.51.100.3", sender_address=SENDER.upper())
    assert_limited(response, before)
    # Another sender is not limited.
    assert form.post(client, ip="198.51.100.4", sender_address=OTHER_SENDER).status_code == 302


@override_settings(PROFILES_CONTACT_OVERALL_PER_HOUR=3)
def test_one_past_the_overall_limit_is_429(client, form):
    senders = [SENDER, OTHER_SENDER, "alex@example.net", "sam@example.net"]
    prove_senders(client, *senders)
    recipients = [form, another_recipient(form, 1), another_recipient(form, 2)]
    for number, (recipient, address) in enumerate(zip(recipients, senders, strict=False)):
        response = recipient.post(client, ip=f"198.51.100.{number}", sender_address=address)
        assert response.status_code == 302
    before = stored()
    assert before[0] == 3
    # A new sender, from a new IP, to a new recipient: the whole site is at its ceiling.
    fresh = another_recipient(form, 3)
    assert_limited(fresh.post(client, ip="198.51.100.99", sender_address=senders[3]), before)


@override_settings(PROFILES_CONTACT_PER_IP_PER_HOUR=2)
def test_one_past_the_limit_per_ip_is_429(client, form):
    assert form.post(client).status_code == 302
    assert form.post(client, sender_address=OTHER_SENDER).status_code == 302
    before = stored()
    assert_limited(form.post(client, sender_address=OTHER_SENDER), before)
    assert form.post(client, ip="203.0.113.6").status_code == 302


@override_settings(PROFILES_CONTACT_PER_RECIPIENT_PER_DAY=2)
def test_one_past_the_limit_per_recipient_is_429(client, form):
    assert form.post(client, ip="198.51.100.1").status_code == 302
    assert form.post(client, ip="198.51.100.2", sender_address=OTHER_SENDER).status_code == 302
    before = stored()
    prove_senders(client, SENDER, OTHER_SENDER, "alex@example.net")
    response = form.post(client, ip="198.51.100.3", sender_address="alex@example.net")
    assert_limited(response, before)
    assert another_recipient(form).post(client, ip="198.51.100.4").status_code == 302


@override_settings(
    PROFILES_CONTACT_PER_SENDER_PER_DAY=2,
    PROFILES_CONTACT_PER_RECIPIENT_PER_DAY=2,
    PROFILES_CONTACT_OVERALL_PER_HOUR=2,
)
def test_junk_does_not_consume_the_sender_recipient_or_overall_budget(client, form):
    junk = [  # (fields, the status the sender sees)
        ({"age": 0}, 400),  # sent too fast
        ({"age": 3 * 3600}, 400),  # expired token
        ({"website": "http://spam.example"}, 302),  # honeypot: "sent", nothing stored
        ({"sender_name": "Sacha\r\nBcc: victim@example.org"}, 400),
        ({"message": "x" * 5001}, 400),
    ]
    for number, (fields, status) in enumerate(junk * 2):
        response = form.post(client, ip=f"192.0.2.{number}", **fields)
        assert response.status_code == status, fields
    assert stored() == (0, 0, 0)
    assert form.post(client, ip="198.51.100.1").status_code == 302
    assert form.post(client, ip="198.51.100.2").status_code == 302
    assert ContactMessage.objects.count() == 2


@override_settings(PROFILES_CONTACT_PER_SENDER_PER_DAY=1, PROFILES_CONTACT_OVERALL_PER_HOUR=2)
def test_a_message_refused_by_one_limit_does_not_count_against_the_later_ones(client, form):
    assert form.post(client, ip="198.51.100.1").status_code == 302
    for number in range(3):  # over the sender's limit: the overall budget is untouched
        assert form.post(client, ip=f"198.51.100.{10 + number}").status_code == 429
    assert form.post(client, ip="198.51.100.2", sender_address=OTHER_SENDER).status_code == 302


@pytest.fixture
def two_redis_caches():
    """Two Django Redis caches on the same server, as two processes of the site have:
    separate clients and connection pools, one store."""
    from django.core.cache.backends.redis import RedisCache

    with redis_key_prefix() as prefix:
        yield [RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]


@override_settings(PROFILES_CONTACT_PER_SENDER_PER_DAY=2, PROFILES_CONTACT_OVERALL_PER_HOUR=3)
def test_limits_are_shared_by_processes_through_redis(client, profile, two_redis_caches):
    first, second = two_redis_caches
    assert first._cache is not second._cache
    form = ProfileForm(profile)
    other = ProfileForm(make_profile(public_name="Alix", email="alix@example.org"))

    def post_through(cache, target, **fields):
        with mock.patch("profiles_module.common.ratelimit.cache", cache):
            return target.post(client, **fields)

    assert post_through(first, form, ip="198.51.100.1").status_code == 302
    assert post_through(second, other, ip="198.51.100.2").status_code == 302
    # Each process saw one message; together they reached the sender's limit.
    before = stored()
    assert_limited(post_through(first, form, ip="198.51.100.3"), before)
    assert_limited(post_through(second, other, ip="198.51.100.4"), before)
    # The overall ceiling (3) is shared too: a third message anywhere is the last one.
    response = post_through(first, form, ip="198.51.100.5", sender_address=OTHER_SENDER)
    assert response.status_code == 302
    prove_senders(client, SENDER, OTHER_SENDER, "alex@example.net")
    response = post_through(second, other, ip="198.51.100.6", sender_address="alex@example.net")
    assert_limited(response, stored())


# --- the block list


def test_recipient_email_carries_block_and_report_links_the_copy_does_not(client, form):
    assert form.post(client).status_code == 302
    email = to_recipient(form.address)[0]
    block = link(email, "/contact/bloquer/")
    report = link(email, "/contact/signaler/")
    html = email.alternatives[0].content
    assert escape(block) in html and escape(report) in html
    copy = to_recipient(SENDER)[0]
    assert "/contact/bloquer/" not in copy.body + copy.alternatives[0].content
    assert "/contact/signaler/" not in copy.body + copy.alternatives[0].content
    # Neither link says anything about the sender's address.
    assert SENDER not in block and hash_address(SENDER) not in block


def test_block_link_get_shows_a_button_post_blocks(client, form):
    assert form.post(client).status_code == 302
    url = link(to_recipient(form.address)[0], "/contact/bloquer/")
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and "Sacha" in html and SENDER not in html
    assert not BlockedSender.objects.exists()

    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200  # twice is harmless
    entry = BlockedSender.objects.get()
    assert entry.address_hash == hash_address(SENDER)
    assert (entry.profile, entry.page_id) == (
        (form.profile, None) if form.kind == "profile" else (None, form.page.pk)
    )
    # Only the hash is kept: no column of the entry holds the address.
    assert SENDER not in str([getattr(entry, f.attname) for f in BlockedSender._meta.fields])


def test_blocked_sender_is_accepted_silently_and_never_delivered(client, form):
    assert form.post(client).status_code == 302
    assert client.post(link(to_recipient(form.address)[0], "/contact/bloquer/")).status_code == 200
    mail.outbox.clear()
    events = ProfileEvent.objects.count()

    response = form.post(client, sender_address=SENDER.upper(), message="Encore moi.")
    # The same answer as a delivered message: the sender learns nothing.
    assert response.status_code == 302 and "contact=sent" in response["Location"]
    message = ContactMessage.objects.first()
    assert message.status == ContactMessage.Status.BLOCKED
    assert message.body == "" and message.body_erased_at is not None and message.email is None
    assert to_recipient(form.address) == []
    # The sender gets their copy, as always.
    assert [email.to for email in mail.outbox] == [[SENDER.upper()]]
    assert "Encore moi." in mail.outbox[0].body
    assert ProfileEvent.objects.count() == events

    # Other senders still reach the recipient; the blocked sender still reaches others.
    assert form.post(client, sender_address=OTHER_SENDER).status_code == 302
    assert len(to_recipient(form.address)) == 1
    other = another_recipient(form)
    mail.outbox.clear()
    assert other.post(client).status_code == 302
    assert len(to_recipient(other.address)) == 1


def test_block_is_applied_when_a_waiting_message_is_verified(client, profile):
    form = ProfileForm(profile)
    # A waiting message from an address the household blocked meanwhile.
    assert form.post(client, sender_address=NEWCOMER).status_code == 302
    verify = link(mail.outbox[0], "/contact/confirmer/")
    BlockedSender.objects.create(profile=profile, address_hash=hash_address(NEWCOMER))
    assert client.post(verify).status_code == 200
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.BLOCKED and message.body == ""
    assert to_recipient() == []


def test_forged_or_expired_block_link_blocks_nothing(client, profile):
    form = ProfileForm(profile)
    assert form.post(client).status_code == 302
    url = link(to_recipient()[0], "/contact/bloquer/")
    assert client.post(url[:-4] + "xyz/").status_code == 404
    # A report link is not a block link (another salt).
    report = link(to_recipient()[0], "/contact/signaler/")
    assert client.post(url.replace(url.split("/")[-2], report.split("/")[-2])).status_code == 404
    later = timezone.now() + timedelta(days=91)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(url)
    assert response.status_code == 404
    assert "ne fonctionne plus" in response.content.decode()
    assert not BlockedSender.objects.exists()


def test_erasing_a_profile_erases_its_block_list_and_report_comments(client):
    name, address = "Zéphyrine", "zephyrine@example.org"
    profile = make_profile(public_name=name, email=address)
    form = ProfileForm(profile)
    assert form.post(client).status_code == 302
    email = to_recipient(address)[0]
    assert client.post(link(email, "/contact/bloquer/")).status_code == 200
    report = link(email, "/contact/signaler/")
    response = client.post(report, {"comment": f"{name} ne veut plus de ces messages"})
    assert response.status_code == 200
    assert BlockedSender.objects.filter(profile=profile).exists()

    lifecycle.erase(profile, "owner")
    assert not BlockedSender.objects.exists()
    report = AbuseReport.objects.get()
    assert report.comment == "" and report.message.sender_name == "Sacha"
    assert_no_trace(address, name)


def test_a_block_of_a_fixed_address_is_per_block(client):
    form, other = block_form("ecrire"), block_form("ecrire-2")
    assert form.post(client).status_code == 302
    response = client.post(link(to_recipient(COORDINATION)[0], "/contact/bloquer/"))
    assert response.status_code == 200
    mail.outbox.clear()
    assert form.post(client).status_code == 302
    assert other.post(client).status_code == 302
    assert len(to_recipient(COORDINATION)) == 1  # only the other block's
    statuses = sorted(ContactMessage.objects.values_list("status", flat=True))
    assert statuses == ["blocked", "sent", "sent"]


# --- abuse reports


def test_report_link_get_shows_a_form_post_stores_a_report(client, form):
    assert form.post(client).status_code == 302
    url = link(to_recipient(form.address)[0], "/contact/signaler/")
    html = client.get(url).content.decode()
    assert 'method="post"' in html and 'name="comment"' in html and SENDER not in html
    assert not AbuseReport.objects.exists()

    response = client.post(url, {"comment": "Message insistant,\nmerci de regarder."})
    assert response.status_code == 200
    report = AbuseReport.objects.get()
    assert report.message == ContactMessage.objects.get()
    assert report.status == AbuseReport.Status.NEW
    assert report.comment == "Message insistant,\nmerci de regarder."
    # Reported once: posting again adds nothing.
    assert client.post(url, {"comment": "encore"}).status_code == 200
    assert AbuseReport.objects.count() == 1
    # The comment is optional.
    AbuseReport.objects.all().delete()
    assert client.post(url, {}).status_code == 200
    assert AbuseReport.objects.get().comment == ""


@pytest.mark.parametrize(
    "comment",
    ["<script>alert(1)</script>", "<b>gras</b>", "texte\x00nul", "x" * 2001, "&#60;b&#62;"],
)
def test_report_comment_is_validated_and_kept(client, profile, comment):
    assert ProfileForm(profile).post(client).status_code == 302
    url = link(to_recipient()[0], "/contact/signaler/")
    response = client.post(url, {"comment": comment})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and escape(comment) in html
    assert not AbuseReport.objects.exists()


def test_forged_report_link_is_404(client, profile):
    assert ProfileForm(profile).post(client).status_code == 302
    url = link(to_recipient()[0], "/contact/signaler/")
    assert client.get(url[:-4] + "xyz/").status_code == 404
    assert client.post(url[:-4] + "xyz/", {"comment": ""}).status_code == 404
    assert not AbuseReport.objects.exists()


def test_links_of_an_erased_profile_store_nothing(client, profile):
    assert ProfileForm(profile).post(client).status_code == 302
    email = to_recipient()[0]
    lifecycle.erase(profile, "owner")
    assert client.post(link(email, "/contact/bloquer/")).status_code == 404
    response = client.post(link(email, "/contact/signaler/"), {"comment": "Dominique"})
    assert response.status_code == 404
    assert not BlockedSender.objects.exists() and not AbuseReport.objects.exists()


def make_report(client, form, comment="Insistant."):
    assert form.post(client).status_code == 302
    url = link(to_recipient(form.address)[0], "/contact/signaler/")
    assert client.post(url, {"comment": comment}).status_code == 200
    return AbuseReport.objects.get()


@pytest.fixture
def editor(django_user_model):
    """A Wagtail editor allowed to see and handle reports, not to see private details."""
    user = django_user_model.objects.create_user("editrice", password="x")
    group = Group.objects.create(name="Modération des messages")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_abusereport"),
        Permission.objects.get(codename="change_abusereport"),
    )
    user.groups.add(group)
    return user


def test_editors_see_reports_without_any_address(client, form, editor):
    report = make_report(client, form)
    client.force_login(editor)
    # The menu item "Signalements".
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("abuse_reports:index") in home and "Signalements" in home
    listing = client.get(reverse("abuse_reports:index"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Sacha" in html and escape(TEXT) in html and "Insistant." in html
    assert ("Dominique" if form.kind == "profile" else escape("Écrire à l'équipe")) in html
    assert SENDER not in html and form.address not in html
    assert reverse("abuse_reports:add") not in html
    inspect = client.get(reverse("abuse_reports:inspect", args=[report.pk])).content.decode()
    assert "Sacha" in inspect and "Insistant." in inspect
    assert SENDER not in inspect and form.address not in inspect
    edit = client.get(reverse("abuse_reports:edit", args=[report.pk])).content.decode()
    assert SENDER not in edit and form.address not in edit and "Insistant." in edit
    # Nobody adds a report in the admin.
    assert client.get(reverse("abuse_reports:add")).status_code == 302


def test_editors_mark_a_report_handled(client, profile, editor):
    report = make_report(client, ProfileForm(profile))
    client.force_login(editor)
    url = reverse("abuse_reports:edit", args=[report.pk])
    response = client.post(url, {"status": "handled"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == AbuseReport.Status.HANDLED
    listing = client.get(reverse("abuse_reports:index") + "?status=new").content.decode()
    assert "Insistant." not in listing


def test_private_details_permission_shows_the_addresses(client, form, admin_client):
    report = make_report(client, form)
    html = admin_client.get(reverse("abuse_reports:index")).content.decode()
    assert SENDER in html and form.address in html
    inspect = admin_client.get(reverse("abuse_reports:inspect", args=[report.pk]))
    assert SENDER in inspect.content.decode() and form.address in inspect.content.decode()
    assert admin_client.get(reverse("abuse_reports:add")).status_code == 302


def test_reports_are_not_shown_to_users_without_permission(client, profile, django_user_model):
    make_report(client, ProfileForm(profile))
    user = django_user_model.objects.create_user("redacteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("abuse_reports:index")).status_code == 302
    assert (
        reverse("abuse_reports:index")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_erased_body_is_not_shown_in_the_admin(client, profile, admin_client):
    report = make_report(client, ProfileForm(profile))
    erase_contact_bodies(report.message.created_at + timedelta(days=31))
    html = admin_client.get(reverse("abuse_reports:index")).content.decode()
    assert escape(TEXT) not in html and "(effacé)" in html and "Insistant." in html


# --- erasure of message texts in the outbox


def test_unsent_emails_are_abandoned_when_the_text_is_erased(client, profile):
    down = mock.patch(
        "profiles_module.publication.emails.EmailMultiAlternatives.send",
        side_effect=OSError("down"),
    )
    with down:
        assert ProfileForm(profile).post(client).status_code == 302
        message = ContactMessage.objects.get()
        emails = OutgoingEmail.objects.filter(pk__in=[message.email_id, message.copy_email_id])
        assert {email.status for email in emails} == {"pending"}
        assert all(TEXT in email.text_body for email in emails)

        # Still retrying on day 29: nothing changes.
        schedule.run(now=message.created_at + timedelta(days=29))
        message.refresh_from_db()
        assert message.body and message.status == ContactMessage.Status.PENDING
        assert all(email.text_body and email.status == "pending" for email in emails.all())

    # Day 31, the provider is back: the due retries would send them, but the texts are
    # erased first and the emails abandoned.
    assert mail.outbox == []
    schedule.run(now=message.created_at + timedelta(days=31))
    message.refresh_from_db()
    assert message.body == "" and message.status == ContactMessage.Status.FAILED
    for email in emails.all():
        assert email.status == OutgoingEmail.Status.FAILED
        assert (email.text_body, email.html_body, email.reply_to) == ("", "", "")
    # Abandoned, not sent empty.
    assert mail.outbox == []
    assert ProfileEvent.objects.filter(
        profile=profile, kind=ProfileEvent.Kind.EMAIL_FAILED, detail__contains="erased"
    ).exists()
    # Idempotent.
    schedule.run(now=message.created_at + timedelta(days=32))
    assert mail.outbox == []


@override_settings(PROFILES_EMAIL_MAX_ATTEMPTS=1)
def test_abandoned_emails_lose_their_text_with_the_message(client, profile):
    with mock.patch(
        "profiles_module.publication.emails.EmailMultiAlternatives.send",
        side_effect=OSError("down"),
    ):
        assert ProfileForm(profile).post(client).status_code == 302
    message = ContactMessage.objects.get()
    email = OutgoingEmail.objects.get(pk=message.email_id)
    assert email.status == OutgoingEmail.Status.FAILED and TEXT in email.text_body
    erase_contact_bodies(message.created_at + timedelta(days=31))
    email.refresh_from_db()
    assert email.text_body == "" and email.html_body == ""
    assert email.status == OutgoingEmail.Status.FAILED


def test_an_email_being_sent_is_left_to_its_worker_then_abandoned(client, profile):
    with mock.patch(
        "profiles_module.publication.emails.EmailMultiAlternatives.send",
        side_effect=OSError("down"),
    ):
        assert ProfileForm(profile).post(client).status_code == 302
    message = ContactMessage.objects.get()
    OutgoingEmail.objects.filter(pk=message.email_id).update(status=OutgoingEmail.Status.SENDING)
    later = message.created_at + timedelta(days=31)
    erase_contact_bodies(later)
    email = OutgoingEmail.objects.get(pk=message.email_id)
    assert email.status == OutgoingEmail.Status.SENDING and email.text_body
    # The worker failed: back to pending, and the next pass abandons it.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.PENDING)
    erase_contact_bodies(later + timedelta(hours=1))
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.text_body == ""
    assert ContactMessage.objects.get().status == ContactMessage.Status.FAILED


def test_other_emails_are_untouched_by_the_erasure(client, profile):
    with mock.patch(
        "profiles_module.publication.emails.EmailMultiAlternatives.send",
        side_effect=OSError("down"),
    ):
        assert ProfileForm(profile).post(client).status_code == 302
        lifecycle.request_update(profile)
    update = OutgoingEmail.objects.get(template="update_request")
    erase_contact_bodies(timezone.now() + timedelta(days=31))
    update.refresh_from_db()
    assert update.status == OutgoingEmail.Status.PENDING and update.text_body


# --- header injection corpus, through both forms

INERT, REFUSED = "inert", "refused"
CORPUS = [
    ("sender_name", "Sacha\r\nBcc: victim@example.org", REFUSED),
    ("sender_name", "Sacha\nBcc: victim@example.org", REFUSED),
    ("sender_name", "Sacha\rBcc: victim@example.org", REFUSED),
    ("sender_name", "Sacha%0d%0aBcc: victim@example.org", INERT),
    ("sender_name", "Sacha%0D%0ABcc:%20victim", INERT),
    ("sender_name", "=?utf-8?q?Sacha=0D=0ABcc:_victim@example.org?=", REFUSED),
    ("sender_name", "=?UTF-8?B?U2FjaGENCkJjYzogdmljdGlt?=", REFUSED),
    ("sender_name", "Sacha\x00", REFUSED),
    ("sender_name", "Sacha\u2028Bcc: victim", REFUSED),
    ("sender_name", "Sacha\u2029Bcc: victim", REFUSED),
    ("sender_name", "Sacha\x85Bcc: victim", REFUSED),
    ("sender_name", "Sacha\tBcc: victim", INERT),
    ("sender_name", "S" * 100_000, REFUSED),
    ("sender_name", "<script>alert(1)</script>", REFUSED),
    ("sender_name", "Sacha &amp; Noa", REFUSED),
    ("message", "Bonjour\r\nBcc: victim@example.org\r\n\r\nSuite", INERT),
    ("message", "%0d%0aBcc: victim@example.org", INERT),
    ("message", "=?utf-8?q?=0D=0ABcc:_victim@example.org?=", INERT),
    ("message", "Bonjour\u2028\u2029suite", INERT),
    ("message", "<script>alert(1)</script><img src=x onerror=alert(1)>", INERT),
    ("message", "Bonjour\x00", REFUSED),
    ("message", "x" * 100_000, REFUSED),
    ("sender_address", "sacha@example.net\r\nBcc: victim@example.org", REFUSED),
    ("sender_address", "sacha@example.net%0d%0aBcc:victim@example.org", REFUSED),
    ("sender_address", "=?utf-8?q?victim?=@example.net", REFUSED),
    ("sender_address", "=?utf-8?q?a=0D=0ABcc:_x?=@example.net", REFUSED),
]
HEADERS = {
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
    "Subject",
    "From",
    "To",
    "Reply-To",
    "Date",
    "Message-ID",
}


def input_tag(html, field):
    match = re.search(rf'<(?:input|textarea)[^>]*name="{field}"[^>]*>', html)
    assert match, field
    return match.group(0)


@pytest.mark.parametrize(
    ("field", "value", "outcome"), CORPUS, ids=[f"{f}-{i}" for i, (f, _v, _o) in enumerate(CORPUS)]
)
def test_header_injection_corpus(client, form, field, value, outcome):
    response = form.post(client, **{field: value})
    if outcome == REFUSED:
        assert response.status_code == 400
        html = response.content.decode()
        assert 'aria-invalid="true"' in input_tag(html, field)
        assert escape(TEXT if field != "message" else "Sacha") in html  # the rest is kept
        if "\x00" not in value:
            assert escape(value) in html  # and the refused value too, to correct it
        assert stored() == (0, 0, 0)
        return

    assert response.status_code == 302 and "contact=sent" in response["Location"]
    message = ContactMessage.objects.get()
    expected = normalize_newlines(value.strip()) if field == "message" else value.strip()
    assert getattr(message, "body" if field == "message" else field) == expected
    assert len(mail.outbox) == 2
    recipient = Recipient.of(message)
    for email in mail.outbox:
        assert email.cc == [] and email.bcc == []
        parsed = email.message()
        assert set(parsed.keys()) <= HEADERS
        assert "Bcc" not in parsed and "Cc" not in parsed
        assert email.recipients() in ([form.address], [SENDER])
        assert parsed["To"] in (form.address, SENDER)
        copy = email.to == [SENDER]
        assert parsed["Reply-To"] == (None if copy else SENDER)
        # The subject's only user text is the validated name.
        context = recipient.context() | {"sender_name": message.sender_name, "copy": copy}
        assert email.subject == render_email("contact_message", context, "fr")[0]
        if field == "message":
            assert "victim" not in email.subject and "script" not in email.subject
        html = email.alternatives[0].content
        assert "<script" not in html and "<img" not in html


@override_settings(
    PROFILES_CONTACT_PER_SENDER_PER_DAY=2,
    PROFILES_CONTACT_PER_RECIPIENT_PER_DAY=2,
    PROFILES_CONTACT_OVERALL_PER_HOUR=2,
)
def test_unconfirmed_messages_do_not_use_up_the_limits(client, form):
    # Messages nobody confirms, each from another browser and IP: junk addresses, and
    # the verified sender's own address typed by someone else.
    addresses = [f"junk{number}@example.net" for number in range(3)] + [SENDER, SENDER]
    for number, address in enumerate(addresses):
        response = form.post(Client(), ip=f"192.0.2.{number}", sender_address=address)
        assert response.status_code == 302 and "contact=verify" in response["Location"]
    assert not to_recipient(form.address)
    # The verified sender, from their own browser, still reaches the household.
    response = form.post(client, ip="198.51.100.1")
    assert response.status_code == 302 and "contact=sent" in response["Location"]
    assert len(to_recipient(form.address)) == 1


@override_settings(PROFILES_CONTACT_PER_SENDER_PER_DAY=2)
def test_confirmation_emails_to_one_address_are_capped_for_other_browsers(client, form):
    for number in range(2):
        response = form.post(Client(), ip=f"192.0.2.{number}", sender_address=NEWCOMER.upper())
        assert response.status_code == 302 and "contact=verify" in response["Location"]
    before = stored()
    assert_limited(form.post(Client(), ip="192.0.2.9", sender_address=NEWCOMER), before)
    assert [email.to for email in mail.outbox] == [[NEWCOMER.upper()]] * 2
    # A browser that proved the address is not held back by it.
    prove_senders(client, NEWCOMER)
    response = form.post(client, ip="198.51.100.1", sender_address=NEWCOMER)
    assert response.status_code == 302 and "contact=sent" in response["Location"]
    assert len(to_recipient(form.address)) == 1
