"""The contact relay: messages written to a household from its profile page.

The body is erased after PROFILES_CONTACT_BODY_DAYS, the sender's address and name after
PROFILES_CONTACT_SENDER_DAYS; the rest (to whom, when, status) stays for statistics.
Neither address is ever shown on a page.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from profiles_module.common.validators import validate_plain_text

from .geography import Departement
from .profiles import Profile
from .publication import OutgoingEmail


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        AWAITING_VERIFICATION = "awaiting_verification", _("waiting for the sender to confirm")
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("abandoned")
        # The recipient blocked the sender: accepted, never delivered, body not kept.
        BLOCKED = "blocked", _("blocked by the recipient")

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
    # The sender's copy in the outbox: it holds the body too, erased with the message's.
    copy_email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_copies",
    )
    # The territory of the recipient's first wished sector when the message was written
    # (see `territory_of`), for the editors' statistics: it stays when the profile is
    # erased. Empty for a ContactRelayBlock to a fixed address; a sector that is a whole
    # région has no département.
    region_code = models.CharField(_("région code"), max_length=3, blank=True)
    departement_code = models.CharField(_("département code"), max_length=3, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        permissions = [("view_contact_statistics", _("Can see the contact statistics"))]
        indexes = [
            # The owner's history and the sender's pending messages look a sender up
            # with sender_email__iexact, which PostgreSQL runs as UPPER(sender_email).
            models.Index(Upper("sender_email"), name="contact_sender_email_upper"),
        ]

    def __str__(self):
        return f"{self.recipient_uid} {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def sender_label(self):
        """The sender's name, or a mark once it was forgotten (see contact/retention.py)."""
        return self.sender_name or _("(erased)")

    @property
    def sender_address_label(self):
        """The sender's address, or a mark once it was forgotten."""
        return self.sender_email or _("(erased)")


def territory_of(profile):
    """(région code, département code) of a profile's first wished sector: a commune
    gives its département and its région, a département its région, a région only
    itself. Empty strings when the profile has no sector."""

    sector = next(iter(profile.sectors.all()), None)  # ordered by sort_order
    if sector is None:
        return "", ""
    if sector.kind == sector.Kind.REGION and sector.region_id:
        return sector.region.code, ""
    if sector.kind == sector.Kind.DEPARTEMENT and sector.departement_id:
        departement_id = sector.departement_id
    elif sector.kind == sector.Kind.COMMUNE and sector.commune_id:
        departement_id = sector.commune.departement_id
    else:
        return "", ""
    codes = Departement.objects.filter(pk=departement_id).values_list("region__code", "code")
    return codes.first() or ("", "")


def hash_address(address):
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of a normalised email address.

    It recognises an address without storing it. A plain hash would not do: it travels
    in links (browser history, server logs) and anyone could check it against a guessed
    address. Changing SECRET_KEY forgets the browsers' confirmed senders and the block
    lists.
    """
    return salted_hmac(
        "profiles_module.address", address.strip().lower(), algorithm="sha256"
    ).hexdigest()


class BlockedSender(models.Model):
    """A recipient's block list: messages from this address to this recipient are
    accepted (the sender learns nothing) but never delivered.

    The recipient is a profile, or a ContactRelayBlock to a fixed address (its page and
    block id). Only a hash of the sender's address is kept; the entries go with the
    profile (or the page) when it is deleted.
    """

    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="blocked_senders",
        verbose_name=_("recipient"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    block_id = models.CharField(_("block id"), max_length=36, blank=True)
    address_hash = models.CharField(_("address hash"), max_length=64)
    created_at = models.DateTimeField(_("blocked on"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [
            models.CheckConstraint(
                condition=Q(profile__isnull=False, page__isnull=True)
                | Q(profile__isnull=True, page__isnull=False),
                name="fv_blocked_sender_one_recipient",
            ),
            models.UniqueConstraint(
                fields=["profile", "address_hash"],
                condition=Q(profile__isnull=False),
                name="fv_blocked_sender_profile_unique",
            ),
            models.UniqueConstraint(
                fields=["page", "block_id", "address_hash"],
                condition=Q(page__isnull=False),
                name="fv_blocked_sender_block_unique",
            ),
        ]

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def recipient_of(message):
        """The block list a message's recipient owns, as filter arguments (None when
        the recipient is gone)."""
        if message.recipient_id:
            return {"profile_id": message.recipient_id}
        if message.page_id and message.block_id:
            return {"page_id": message.page_id, "block_id": message.block_id}
        return None

    @classmethod
    def is_blocked(cls, address, *, profile=None, page=None, block_id=""):
        if profile is not None:
            target = {"profile": profile}
        elif page is not None:
            target = {"page": page, "block_id": block_id}
        else:
            return False
        return cls.objects.filter(address_hash=hash_address(address), **target).exists()

    @classmethod
    def block(cls, message, now=None):
        """Block the sender of `message` for its recipient. Returns False when the
        recipient is gone, or the sender's address was forgotten; blocking twice is
        harmless."""
        target = cls.recipient_of(message)
        if target is None or not message.sender_email:
            return False
        address_hash = hash_address(message.sender_email)
        if not cls.objects.filter(address_hash=address_hash, **target).exists():
            try:
                with transaction.atomic():
                    cls.objects.create(
                        address_hash=address_hash, created_at=now or timezone.now(), **target
                    )
            except IntegrityError:  # the same link posted twice at once
                pass
        return True


class AbuseReport(models.Model):
    """A recipient reported a message they received; editors handle it in the admin."""

    COMMENT_MAX_LENGTH = 2000

    class Status(models.TextChoices):
        NEW = "new", _("to handle")
        HANDLED = "handled", _("handled")

    message = models.ForeignKey(
        ContactMessage,
        on_delete=models.CASCADE,
        related_name="abuse_reports",
        verbose_name=_("message"),
    )
    created_at = models.DateTimeField(_("reported on"), default=timezone.now, db_index=True)
    comment = models.TextField(
        _("comment"),
        max_length=COMMENT_MAX_LENGTH,
        blank=True,
        validators=[validate_plain_text],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")

    def __str__(self):
        return f"{self.message.sender_label} ({self.created_at:%Y-%m-%d})"
