"""The contact relay: messages written to a household from its profile page.

The body is erased after PROFILES_CONTACT_BODY_DAYS; the rest (from whom, to whom,
when, status) stays for history and statistics. Neither address is ever shown on a page.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .profiles import Profile
from .publication import OutgoingEmail


class ContactMessage(models.Model):
    class Status(models.TextChoices):
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
    # Kept when the recipient's profile is erased, for statistics.
    recipient_uid = models.UUIDField(_("recipient id"), db_index=True)
    sender_name = models.CharField(_("sender's name"), max_length=80)
    # Private: only used as the Reply-To of the email and for the sender's copy.
    sender_email = models.EmailField(_("sender's email address"), max_length=254)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
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
