"""The contact relay: messages written to a household from its profile page.

The body is erased after PROFILES_CONTACT_BODY_DAYS; the rest (from whom, to whom,
when, status) stays for history and statistics. Neither address is ever shown on a page.
"""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .profiles import Profile
from .publication import OutgoingEmail


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        AWAITING_VERIFICATION = "awaiting_verification", _("waiting for the sender to confirm")
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("abandoned")

    recipient = models.ForeignKey(
        Profile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
        verbose_name=_("recipient"),
    )
    # Kept when the recipient's profile is erased, for statistics; empty for a message
    # written through a ContactRelayBlock to a fixed address.
    recipient_uid = models.UUIDField(_("recipient id"), db_index=True, null=True, blank=True)
    # A ContactRelayBlock to a fixed address: the page and the block's id. The address
    # itself stays in the page's StreamField, resolved when the message is relayed.
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    block_id = models.CharField(_("block id"), max_length=36, blank=True)
    sender_name = models.CharField(_("sender's name"), max_length=80)
    # Private: only used as the Reply-To of the email and for the sender's copy.
    sender_email = models.EmailField(_("sender's email address"), max_length=254)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=25, choices=Status, default=Status.PENDING)
    body_erased_at = models.DateTimeField(_("message erased on"), null=True, blank=True)
    # The recipient's email in the outbox (its row is purged after OUTBOX_RETENTION_DAYS).
    email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_messages",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return f"{self.recipient_uid} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


def hash_address(address):
    """The SHA-256 of a normalised (trimmed, lower-case) email address."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


class VerifiedSender(models.Model):
    """A sender who confirmed their address once; only its hash is kept."""

    address_hash = models.CharField(_("address hash"), max_length=64, unique=True)
    verified_at = models.DateTimeField(_("verified on"), default=timezone.now)

    class Meta:
        verbose_name = _("verified sender")
        verbose_name_plural = _("verified senders")

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.verified_at:%Y-%m-%d})"

    @classmethod
    def is_verified(cls, address):
        return cls.objects.filter(address_hash=hash_address(address)).exists()

    @classmethod
    def verify(cls, address, now=None):
        cls.objects.get_or_create(
            address_hash=hash_address(address),
            defaults={"verified_at": now or timezone.now()},
        )
