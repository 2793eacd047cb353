"""The contact relay: write to a household from its profile page or a contact block.

The message is stored first, then emailed through the outbox and the task queue: to the
recipient with Reply-To set to the sender, and a copy to the sender. No address is
shown on any page; the subject holds no user text but the sender's validated name.

Abuse layers: the form's own checks (honeypot, signed form time, validators), rate limits
(`over_contact_limits`), sender verification, and the two links of the recipient's email:
block this sender (`block_sender`) and report abuse (`report_abuse`).

A verified sender is a browser, not an address: anyone can type any address, so a message
goes straight out only when the browser that posts it proves it controls that address
(`sender_is_proven`): the owner's session of the fiche with that address, or the signed
cookie set when that browser confirmed the address through the emailed link. Any other
message waits for a new confirmation, as a first message does.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.models import Page

from profiles_module.common.language import current_language
from profiles_module.common.ratelimit import client_ip, over_limit
from profiles_module.common.sites import default_site
from profiles_module.conf import app_settings
from profiles_module.contact.blocks import ContactRelayBlock, block_target, find_relay_block
from profiles_module.contact.forms import AbuseReportForm, ContactForm
from profiles_module.contact.history import history
from profiles_module.models import (
    AbuseReport,
    BlockedSender,
    ContactMessage,
    Profile,
    ProfileEvent,
)
from profiles_module.models.contact import hash_address, territory_of
from profiles_module.publication.emails import root_url, send_email, store_email
from profiles_module.publication.session import owner_required, signed_in_profile

Event = ProfileEvent.Kind
EMAIL_TEMPLATE = "contact_message"
VERIFY_TEMPLATE = "contact_verify"
VERIFY_SALT = "profiles_module.contact.verify_sender"
# The links of the recipient's email (contact safety): block the sender, report abuse.
BLOCK_SALT = "profiles_module.contact.block_sender"
REPORT_SALT = "profiles_module.contact.report_abuse"
Status = ContactMessage.Status
HOUR = 3600
DAY = 24 * HOUR
# The proof that this browser confirmed addresses: a signed cookie holding their keyed
# hashes (never an address), HttpOnly (no script reads it) and SameSite=Strict (only the
# site's own forms send it). Each confirmation renews it for PROOF_DAYS; it holds the
# last PROOF_MAX_ADDRESSES addresses confirmed in the browser (a family, an association).
PROOF_COOKIE = "fv_contact_sender"


def proof_cookie_name():
    """The proof cookie's name, with the session cookie's __Host- prefix when the site
    uses it (production): set only over HTTPS, for this host alone."""
    prefix = "__Host-" if settings.SESSION_COOKIE_NAME.startswith("__Host-") else ""
    return prefix + PROOF_COOKIE


PROOF_SALT = "profiles_module.contact.sender_proof"
PROOF_DAYS = 365
PROOF_MAX_ADDRESSES = 10


def over_contact_limits(request, form, recipient_key):
    """The rate limits of both contact forms, counted in the Django cache (shared by
    every process when it is Redis). True when one is exceeded: the view answers 429
    with the form as typed, and nothing is stored or queued.

    Every POST counts against its IP address, before validation, so that a flood of
    junk from one place stops early. The other limits (`over_relay_limits`) count only
    the messages that are relayed: a valid message from a proven sender here, any other
    when its sender confirms it (`verify_sender`). Refused forms, the honeypot and
    messages nobody confirms count against nothing but the IP and the confirmation
    emails of their address, so that junk (even typed in a real sender's name) cannot
    silence a proven sender, a household or the whole site.
    """
    if over_limit(
        "contact-ip", client_ip(request), app_settings.CONTACT_PER_IP_PER_HOUR, window=HOUR
    ):
        return True
    if not form.is_valid() or form.is_spam:
        return False
    address = form.cleaned_data["sender_address"]
    if not sender_is_proven(request, address):
        # Counted against the relay limits if and when it is confirmed. Each one emails
        # a confirmation link to the address, though: capped per address, so that the
        # form cannot flood someone's mailbox. The cap holds back browsers without proof
        # only; the address's owner writing from a proven browser never meets it.
        return over_limit(
            "contact-confirm",
            hash_address(address),
            app_settings.CONTACT_PER_SENDER_PER_DAY,
            window=DAY,
        )
    return over_relay_limits(address, recipient_key)


def over_relay_limits(address, recipient_key):
    """Count one relayed message: per sender address (a hash of it), per recipient, then
    overall. True when one is exceeded. They are tried in that order and stop at the
    first one exceeded, so a message refused by one limit does not count against the
    later ones."""
    sender = hash_address(address)
    return (
        over_limit("contact-sender", sender, app_settings.CONTACT_PER_SENDER_PER_DAY, window=DAY)
        or over_limit(
            "contact-recipient",
            recipient_key,
            app_settings.CONTACT_PER_RECIPIENT_PER_DAY,
            window=DAY,
        )
        or over_limit("contact-overall", "all", app_settings.CONTACT_OVERALL_PER_HOUR, window=HOUR)
    )


def owner_is_sender(request, sender_email):
    """An owner signed in through their management link, writing from their own
    address, is verified already."""
    owner = signed_in_profile(request)
    return owner is not None and hash_address(owner.email) == hash_address(sender_email)


def sender_is_proven(request, sender_email):
    """Whether the browser posting a message proved it controls `sender_email`: the
    owner's session of a fiche with that address (its management link was emailed
    there), or the cookie set when this browser confirmed it (`remember_sender`).

    An address confirmed in another browser proves nothing here: anyone can type it.
    """
    return hash_address(sender_email) in proven_hashes(request) or owner_is_sender(
        request, sender_email
    )


def proven_hashes(request):
    """The hashes of the addresses this browser confirmed (a forged, altered or expired
    cookie counts as none)."""
    try:
        value = signing.TimestampSigner(salt=PROOF_SALT).unsign(
            request.COOKIES.get(proof_cookie_name(), ""), max_age=timedelta(days=PROOF_DAYS)
        )
    except signing.BadSignature:
        return []
    return value.split(".") if value else []


def proof_value(hashes):
    """The signed value of the proof cookie for these address hashes (newest first)."""
    return signing.TimestampSigner(salt=PROOF_SALT).sign(".".join(hashes[:PROOF_MAX_ADDRESSES]))


def remember_sender(request, response, sender_email):
    """Add `sender_email` (its hash) to this browser's proof cookie, on `response`."""
    digest = hash_address(sender_email)
    hashes = [digest] + [other for other in proven_hashes(request) if other != digest]
    response.set_cookie(
        proof_cookie_name(),
        proof_value(hashes),
        max_age=PROOF_DAYS * DAY,
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


class Recipient:
    """Whom a message goes to: a profile, or the fixed address of a ContactRelayBlock
    (resolved from its page's live StreamField, never stored with the message)."""

    def __init__(self, *, profile=None, page=None, block_id="", address="", name=""):
        self.profile, self.page, self.block_id = profile, page, block_id
        self.address = profile.email if profile is not None else address
        self.name = profile.public_name if profile is not None else name

    @classmethod
    def of(cls, message):
        """The recipient of a stored message, or None if it is gone."""
        if message.recipient is not None:
            return cls(profile=message.recipient)
        if message.page_id and message.block_id:
            page = message.page.specific if message.page.live else None
            value = page and find_relay_block(page, message.block_id)
            if value and value.get("address"):
                return cls(
                    page=page,
                    block_id=message.block_id,
                    address=value["address"],
                    name=value["heading"],
                )
        return None

    @property
    def rate_key(self):
        """What the per-recipient limit counts on: the household, or the block."""
        if self.profile is not None:
            return self.profile.uid

        return block_target(self.page.pk, self.block_id)

    def blocks(self, address):
        """Whether this recipient blocked the sender `address`."""
        return BlockedSender.is_blocked(
            address, profile=self.profile, page=self.page, block_id=self.block_id
        )

    @property
    def root_url(self):
        if self.profile is not None:
            return root_url(self.profile)
        site = self.page.get_site()
        return site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")

    @property
    def site_name(self):
        if self.profile is not None:
            return site_name(self.profile)
        site = self.page.get_site()
        return (site.site_name if site else "") or "Futurs voisins"

    def context(self):
        return {
            "profile": self.profile,
            "recipient_name": self.name,
            "page_title": self.page.title if self.page is not None else "",
            "site_name": self.site_name,
            "profile_url": (
                self.root_url + self.profile.get_absolute_url() if self.profile else ""
            ),
        }


def send_contact_message(
    profile=None,
    *,
    sender_name,
    sender_email,
    body,
    sender_language,
    verified=False,
    now=None,
    recipient=None,
):
    """Store a message and relay it (see `relay`) when its sender is `verified`;
    otherwise keep it waiting and email the sender a confirmation link. Returns the
    message.

    `verified` means the posting browser proved it controls the address
    (`sender_is_proven`), never merely that the address was confirmed once. The
    recipient is `profile`, or a `Recipient` (a ContactRelayBlock's fixed address).
    """
    now = now or timezone.now()
    recipient = recipient or Recipient(profile=profile)
    # The territory, for the statistics: kept even once the profile is erased.
    region_code, departement_code = (
        territory_of(recipient.profile) if recipient.profile is not None else ("", "")
    )
    with transaction.atomic():
        message = ContactMessage.objects.create(
            recipient=recipient.profile,
            recipient_uid=recipient.profile.uid if recipient.profile else None,
            page=recipient.page,
            block_id=recipient.block_id,
            region_code=region_code,
            departement_code=departement_code,
            sender_name=sender_name,
            sender_email=sender_email,
            body=body,
            created_at=now,
            status=Status.PENDING if verified else Status.AWAITING_VERIFICATION,
        )
        if not verified:
            with translation.override(sender_language):  # its links too: /en/… in English
                context = recipient.context() | {
                    "sender_name": sender_name,
                    "verify_url": recipient.root_url + verify_path(message),
                    "verify_days": app_settings.CONTACT_VERIFY_DAYS,
                }
            verify = store_email(
                None,
                VERIFY_TEMPLATE,
                recipient=sender_email,
                context=context,
                language=sender_language,
                now=now,
            )
    if verified:
        return relay(message, recipient, sender_language=sender_language, now=now)
    send_email.enqueue(verify.pk)
    return message


def verify_path(message):
    token = signing.dumps(
        {"m": message.pk, "h": hash_address(message.sender_email)}, salt=VERIFY_SALT
    )
    return reverse("profiles_module:verify_sender", args=[token])


def relay(message, recipient, *, sender_language, now=None):
    """Queue the recipient's email (Reply-To: the sender) and the sender's copy of a
    stored message, and log the event on the recipient's fiche. Returns the message.

    Only called for a sender who proved the address in this very flow: a proven
    browser (`sender_is_proven`) or the POST of this message's confirmation link.

    When the recipient blocked the sender, the message is kept with the status
    "blocked" and without its body, and only the sender's copy goes out: the sender
    sees exactly what any sender sees. The body is not kept because nobody will ever
    read it (it is never delivered, and editors only see reported messages); the row
    stays so that editors and statistics know the sender keeps writing.
    """
    now = now or timezone.now()
    profile = recipient.profile
    sender_email = message.sender_email
    blocked = recipient.blocks(sender_email)
    recipient_language = (profile and profile.language) or settings.LANGUAGE_CODE

    def context(language, *, copy):
        # Each email's links in its reader's language: /en/… for an English reader.
        with translation.override(language):
            found = recipient.context() | {
                "sender_name": message.sender_name,
                "body": message.body,
                "sender_profile_url": sender_profile_url(sender_email, recipient),
                "copy": copy,
            }
            if not copy:  # only the recipient may block the sender or report the message
                found["block_url"] = recipient.root_url + action_path(message, "block_sender")
                found["report_url"] = recipient.root_url + action_path(message, "report_abuse")
        return found

    with transaction.atomic():
        to_recipient = None
        if not blocked:
            to_recipient = store_email(
                profile,
                EMAIL_TEMPLATE,
                recipient=recipient.address,
                reply_to=sender_email,
                context=context(recipient_language, copy=False),
                language=recipient_language,
                now=now,
            )
        # The copy is not linked to the recipient's profile: it is the sender's email.
        copy = store_email(
            None,
            EMAIL_TEMPLATE,
            recipient=sender_email,
            context=context(sender_language, copy=True),
            language=sender_language,
            now=now,
        )
        message.email = to_recipient
        message.copy_email = copy
        fields = ["email", "copy_email", "status"]
        if blocked:
            message.status = Status.BLOCKED
            message.body = ""
            message.body_erased_at = now
            fields += ["body", "body_erased_at"]
        else:
            message.status = Status.PENDING
        message.save(update_fields=fields)
        if profile is not None and not blocked:
            ProfileEvent.record(profile, Event.CONTACT_RECEIVED, f"#{message.pk}", now=now)
            ProfileEvent.record(
                profile, Event.EMAIL_QUEUED, f"{EMAIL_TEMPLATE} #{to_recipient.pk}", now=now
            )
    # Enqueued once stored: a worker never looks for a row that is not committed yet.
    if to_recipient is not None:
        send_email.enqueue(to_recipient.pk)
    send_email.enqueue(copy.pk)
    return message


def sender_profile_url(sender_email, recipient):
    """The public fiche of the sender, if their address has one: the recipient sees who
    is writing. Looked up on the recipient's site.

    The rule that makes this sound: a fiche belongs to whoever controls its address
    (its management links are sent there, nowhere else), and `relay` only runs for a
    sender who proved control of the address in this flow (owner session, this
    browser's confirmation cookie, or this message's confirmation link). So the link
    names the sender's own fiche, never one whose address someone merely typed."""
    profiles = Profile.objects.public().filter(email__iexact=sender_email.strip())
    if recipient.profile is not None:
        profiles = profiles.filter(site_id=recipient.profile.site_id)
    sender = profiles.exclude(pk=getattr(recipient.profile, "pk", None)).first()
    return recipient.root_url + sender.get_absolute_url() if sender else ""


@never_cache
def verify_sender(request, token):
    """The link of the verification email. GET shows a button and changes nothing (mail
    scanners follow links); its POST relays this message, and remembers in this browser
    that it controls the address (`remember_sender`).

    Only the link's own message is relayed: other messages waiting under the same
    address may have been typed by someone else, and each has its own link. The message
    is claimed by a conditional UPDATE, so a second POST (or two at once) relays nothing
    twice. Relaying counts against the sender, recipient and overall limits; over one,
    the message goes back to waiting and the same link works again later."""
    now = timezone.now()
    try:
        data = signing.loads(
            token,
            salt=VERIFY_SALT,
            max_age=timedelta(days=app_settings.CONTACT_VERIFY_DAYS),
        )
    except signing.BadSignature:
        data = None
    message = None
    if isinstance(data, dict):
        message = (
            ContactMessage.objects.select_related("recipient").filter(pk=data.get("m")).first()
        )
    if message is None or hash_address(message.sender_email) != data.get("h"):
        return TemplateResponse(
            request, "profiles_module/contact/verify.html", {"invalid": True}, status=404
        )
    if request.method == "POST":
        template = "profiles_module/contact/verify.html"
        response = TemplateResponse(request, template, {"verified": True})
        # Claimed first: only one request relays a given message.
        claimed = ContactMessage.objects.filter(
            pk=message.pk, status=Status.AWAITING_VERIFICATION
        ).update(status=Status.PENDING)
        recipient = Recipient.of(message) if claimed else None
        if claimed and recipient is None:
            ContactMessage.objects.filter(pk=message.pk).update(status=Status.FAILED)
        elif claimed and over_relay_limits(message.sender_email, recipient.rate_key):
            ContactMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
                status=Status.AWAITING_VERIFICATION
            )
            response = TemplateResponse(request, template, {"limited": True}, status=429)
        elif claimed:
            relay(message, recipient, sender_language=current_language(), now=now)
        remember_sender(request, response, message.sender_email)
        return response
    return TemplateResponse(
        request,
        "profiles_module/contact/verify.html",
        {"pending": message.status == Status.AWAITING_VERIFICATION},
    )


def site_name(profile):

    site = profile.site or default_site()
    return (site.site_name if site else "") or "Futurs voisins"


@require_POST
@never_cache
def contact_block(request, page_id, block_id):
    """POST of the form of a ContactRelayBlock: the recipient (a profile or a fixed
    address) is looked up in the live page's StreamField, never sent by the browser."""

    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    block_id = str(block_id)
    value = find_relay_block(page, block_id)
    if value is None:
        raise Http404
    profile = value.get("profile")
    if profile is not None:
        profile = Profile.objects.public().filter(pk=profile.pk).first()
        if profile is None:
            raise Http404
        recipient = Recipient(profile=profile)
    elif value.get("address"):
        recipient = Recipient(
            page=page, block_id=block_id, address=value["address"], name=value["heading"]
        )
    else:
        raise Http404
    form = ContactForm(request.POST, target=block_target(page.pk, block_id))

    def form_page(status, **extra):
        html = ContactRelayBlock().render(
            value,
            context={
                "request": request,
                "page": page,
                "block_id": block_id,
                "contact_form": form,
                **extra,
            },
        )
        return TemplateResponse(
            request,
            "profiles_module/contact/block_form.html",
            {"page": page, "block_html": html},
            status=status,
        )

    if over_contact_limits(request, form, recipient.rate_key):
        return form_page(429, contact_limited=True)
    if not form.is_valid():
        return form_page(400)
    done = redirect(f"{page.url}?contact=sent#contact-{block_id}")
    if not form.is_spam:
        sender_email = form.cleaned_data["sender_address"]
        proven = sender_is_proven(request, sender_email)
        send_contact_message(
            sender_name=form.cleaned_data["sender_name"],
            sender_email=sender_email,
            body=form.cleaned_data["message"],
            sender_language=current_language(),
            verified=proven,
            recipient=recipient,
        )
        if not proven:
            return redirect(f"{page.url}?contact=verify#contact-{block_id}")
        remember_sender(request, done, sender_email)
    return done


# --- the links of the recipient's email: block the sender, report abuse


def action_path(message, name):
    """The path of the "block this sender" (`block_sender`) or "report abuse"
    (`report_abuse`) link of a relayed message: a signed token carrying its id, valid
    CONTACT_ACTION_LINK_DAYS. Only the recipient's email holds these links."""
    salt = BLOCK_SALT if name == "block_sender" else REPORT_SALT
    token = signing.dumps({"m": message.pk}, salt=salt)
    return reverse(f"profiles_module:{name}", args=[token])


def message_of(token, salt):
    """The relayed message a link points to, or None (forged, expired, erased)."""
    try:
        data = signing.loads(
            token, salt=salt, max_age=timedelta(days=app_settings.CONTACT_ACTION_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        ContactMessage.objects.select_related("recipient")
        .exclude(status__in=[Status.AWAITING_VERIFICATION, Status.BLOCKED])
        .filter(pk=data.get("m"))
        .first()
    )


def link_gone(request):
    return TemplateResponse(request, "profiles_module/contact/link_gone.html", {}, status=404)


@never_cache
def block_sender(request, token):
    """The "block this sender" link. GET shows a button and changes nothing (mail
    scanners follow links); its POST adds the sender (a hash of their address) to the
    recipient's block list. Later messages of that sender to this recipient are
    accepted as usual but never delivered (see `relay`)."""
    message = message_of(token, BLOCK_SALT)
    if message is None or BlockedSender.recipient_of(message) is None:
        return link_gone(request)
    template = "profiles_module/contact/block.html"
    context = {"sender_name": message.sender_name}
    if request.method == "POST":
        BlockedSender.block(message)
        return TemplateResponse(request, template, context | {"blocked": True})
    return TemplateResponse(request, template, context)


@never_cache
def report_abuse(request, token):
    """The "report abuse" link. GET shows a form (an optional comment) and changes
    nothing; its POST stores an AbuseReport, which editors see in the admin. A message
    is reported once: posting again changes nothing."""
    message = message_of(token, REPORT_SALT)
    # A recipient whose profile is erased reports nothing more (nothing new is kept
    # about them); neither does one whose contact block is gone.
    if message is None or BlockedSender.recipient_of(message) is None:
        return link_gone(request)
    template = "profiles_module/contact/report.html"
    context = {"sender_name": message.sender_name}
    if message.abuse_reports.exists():
        return TemplateResponse(request, template, context | {"reported": True})
    form = AbuseReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return TemplateResponse(request, template, context | {"form": form}, status=400)
        AbuseReport.objects.create(message=message, comment=form.cleaned_data["comment"])
        return TemplateResponse(request, template, context | {"reported": True})
    return TemplateResponse(request, template, context | {"form": form})


@owner_required
def manage_contacts(request, profile):
    """The owner's contact history: who wrote to them, whom they wrote to."""
    received, sent = history(profile)
    return TemplateResponse(
        request,
        "profiles_module/manage/contacts.html",
        {
            "profile": profile,
            "received": received,
            "sent": sent,
            "body_days": app_settings.CONTACT_BODY_DAYS,
        },
    )
