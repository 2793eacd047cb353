"""The owner's contact history: whom they wrote to, who wrote to them.

Shown only to the owner signed in through their management link (`owner_views.
manage_contacts`) and carried by their data download. Names, dates, statuses and the
texts until they are erased; never an email address.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles_module.conf import app_settings
from profiles_module.contact.blocks import find_relay_block
from profiles_module.models import ContactMessage

Status = ContactMessage.Status

# What reached the household, or is on its way. An allow-list: a message waiting for its
# sender's confirmation never reached anyone, and any other status (a message blocked by
# the recipient, or one an abuse layer adds later) stays out.
DELIVERED = (Status.PENDING, Status.SENT)
# The recipient blocked the sender (the contact-safety layer): accepted, never delivered,
# body dropped, and "the sender learns nothing" — so their own history shows it as
# delivered, its text as erased once any text would have been (see `as_sender_sees`).
BLOCKED = "blocked"
# What the owner sees of their own messages: also those waiting for them to confirm
# their address, and those whose email was abandoned.
OWN_STATUSES = (*DELIVERED, Status.AWAITING_VERIFICATION, Status.FAILED, BLOCKED)

RECEIVED_STATUS_LABELS = {
    Status.PENDING: _("being delivered"),
    Status.SENT: _("delivered to you by email"),
}
SENT_STATUS_LABELS = {
    Status.AWAITING_VERIFICATION: _(
        "not sent yet: confirm your address with the link we emailed you"
    ),
    Status.PENDING: _("being delivered"),
    Status.SENT: _("delivered"),
    Status.FAILED: _("not delivered"),
}


@dataclass
class Exchange:
    """One message as its owner sees it: never an address."""

    message: ContactMessage
    direction: str  # "received" or "sent"
    name: str  # the other side: the sender's name, or the recipient's public name
    status: str
    body: str
    body_erased_at: datetime | None
    url: str = ""  # the recipient's public page, while it is public

    @property
    def created_at(self) -> datetime:
        return self.message.created_at

    @property
    def status_label(self):
        labels = RECEIVED_STATUS_LABELS if self.direction == "received" else SENT_STATUS_LABELS
        return labels[self.status]


def as_sender_sees(message, now):
    """(status, body, body_erased_at) of a message for its sender: a blocked message
    looks delivered, like any other."""
    if message.status != BLOCKED:
        return message.status, message.body, message.body_erased_at
    erased = message.created_at + timedelta(days=app_settings.CONTACT_BODY_DAYS)
    return Status.SENT, "", erased if erased <= now else None


def received_messages(profile):
    """Messages that reached (or are reaching) the profile."""
    return ContactMessage.objects.filter(recipient=profile, status__in=DELIVERED)


def sent_messages(profile):
    """Messages written from the profile's address (compared case-insensitively)."""
    return ContactMessage.objects.filter(
        sender_email__iexact=profile.email.strip(), status__in=OWN_STATUSES
    )


def recipient_name(message, pages):
    """The recipient's public name, the heading of the contact block (its page's title
    if the block is gone), or what is left. `pages` caches specific pages by id."""
    if message.recipient is not None:
        return message.recipient.public_name
    if message.page_id and message.block_id:
        if message.page_id not in pages:
            pages[message.page_id] = message.page.specific
        page = pages[message.page_id]
        value = find_relay_block(page, message.block_id)
        return (value and value.get("heading")) or page.title
    if message.recipient_uid:
        return str(_("a household whose profile was deleted since"))
    return str(_("a contact of the site"))


def history(profile):
    """(received, sent): two lists of Exchange, newest first, in a few queries (one
    more per page holding a contact block the owner wrote through)."""
    now = timezone.now()
    received = [
        Exchange(
            message=message,
            direction="received",
            name=message.sender_label,
            status=message.status,
            body=message.body,
            body_erased_at=message.body_erased_at,
        )
        for message in received_messages(profile).defer("sender_email")
    ]
    pages = {}
    sent = []
    for message in sent_messages(profile).select_related("recipient", "page"):
        recipient = message.recipient
        status, body, body_erased_at = as_sender_sees(message, now)
        sent.append(
            Exchange(
                message=message,
                direction="sent",
                name=recipient_name(message, pages),
                status=status,
                body=body,
                body_erased_at=body_erased_at,
                url=recipient.get_absolute_url() if recipient and recipient.live else "",
            )
        )
    return received, sent


def history_data(profile):
    """The history for the owner's data download (JSON-ready, no address)."""
    received, sent = history(profile)
    return [
        {
            "direction": exchange.direction,
            "with": exchange.name,
            "created_at": exchange.created_at,
            "status": exchange.status,
            "body": exchange.body,
            "body_erased_at": exchange.body_erased_at,
        }
        for exchange in sorted(
            received + sent, key=lambda exchange: (exchange.created_at, exchange.message.pk)
        )
    ]
