"""Publishing and keeping a profile current: the publish page, owners' links, the
lifecycle settings, the event log and the outbox of emails."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .profiles import Profile


@register_setting(icon="time")
class LifecycleSettings(BaseSiteSetting):
    """Per-site rules of publication and of the lifecycle of profiles."""

    moderation_before_publication = models.BooleanField(
        _("moderation before publication"),
        default=False,
        help_text=_(
            "Confirmed profiles enter the moderation workflow assigned to household profiles "
            "and are published once approved."
        ),
    )
    one_profile_per_email = models.BooleanField(
        _("one profile per email address"),
        default=True,
        help_text=_("A second profile with the same address sends a management link instead."),
    )
    unconfirmed_days = models.PositiveSmallIntegerField(
        _("erase unconfirmed profiles after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    first_reminder_months = models.PositiveSmallIntegerField(
        _("first reminder after (months without confirmation)"),
        default=6,
        validators=[MinValueValidator(1)],
    )
    second_reminder_months = models.PositiveSmallIntegerField(
        _("second reminder after (months)"), default=11, validators=[MinValueValidator(1)]
    )
    hide_months = models.PositiveSmallIntegerField(
        _("hide after (months)"), default=12, validators=[MinValueValidator(1)]
    )
    erase_months = models.PositiveSmallIntegerField(
        _("erase after (months of inactivity)"), default=24, validators=[MinValueValidator(1)]
    )
    erase_warning_days = models.PositiveSmallIntegerField(
        _("warn before erasure (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    update_request_interval_days = models.PositiveSmallIntegerField(
        _("ask for an update at most every (days)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The bulk action “ask to update” skips profiles asked more recently."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("moderation_before_publication"), FieldPanel("one_profile_per_email")],
            heading=_("Publication"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("unconfirmed_days"),
                FieldPanel("first_reminder_months"),
                FieldPanel("second_reminder_months"),
                FieldPanel("hide_months"),
                FieldPanel("erase_months"),
                FieldPanel("erase_warning_days"),
                FieldPanel("update_request_interval_days"),
            ],
            heading=_("Lifecycle"),
        ),
    ]

    class Meta:
        verbose_name = _("profile publication and lifecycle")

    def clean(self):
        super().clean()
        steps = [
            self.first_reminder_months,
            self.second_reminder_months,
            self.hide_months,
            self.erase_months,
        ]
        if any(step is None for step in steps):
            return
        if not steps == sorted(steps) or len(set(steps)) != len(steps):
            raise ValidationError(
                _(
                    "Reminders, hiding and erasure must come in this order, "
                    "each later than the last."
                )
            )
        if self.erase_warning_days >= (self.erase_months - self.hide_months) * 28:
            raise ValidationError(
                {"erase_warning_days": _("The warning must come after the profile is hidden.")}
            )


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class AccessToken(models.Model):
    """A link sent to an owner. Only the SHA-256 of the random token is stored."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("confirm the email address")
        MANAGE = "manage", _("manage the profile")
        CHANGE_EMAIL = "change_email", _("confirm a new email address")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="access_tokens")
    purpose = models.CharField(max_length=20, choices=Purpose)
    token_hash = models.CharField(max_length=64, unique=True)
    # Only for CHANGE_EMAIL: the address being confirmed. Erased with the profile.
    new_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("access link")
        verbose_name_plural = _("access links")

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.profile_id})"

    def state(self, now=None):
        """'valid', 'used' or 'expired'."""
        if self.used_at:
            return "used"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "valid"


class ProfileEvent(models.Model):
    """What happened to a profile and which email it was sent. Holds no personal data,
    so it outlives the profile (the uid says which one it was)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        DUPLICATE = "duplicate", _("second submission with the same address")
        CONFIRMED = "confirmed", _("email confirmed")
        PUBLISHED = "published", _("published")
        SUBMITTED_FOR_MODERATION = "moderation", _("submitted for moderation")
        APPROVED = "approved", _("approved by a moderator")
        REJECTED = "rejected", _("rejected by a moderator")
        EDITED = "edited", _("edited by the owner")
        PAUSED = "paused", _("paused")
        RESUMED = "resumed", _("resumed")
        STILL_LOOKING = "still_looking", _("“still looking” confirmed")
        EMAIL_CHANGE_REQUESTED = "email_change_requested", _("email change requested")
        EMAIL_CHANGED = "email_changed", _("email changed")
        SIGNED_IN = "signed_in", _("owner signed in with a link")
        LINK_REQUESTED = "link_requested", _("new link requested")
        REMINDED = "reminded", _("reminder")
        HIDDEN = "hidden", _("hidden")
        ERASURE_WARNED = "erasure_warned", _("erasure warning")
        UPDATE_REQUESTED = "update_requested", _("update requested by an editor")
        DATA_DOWNLOADED = "data_downloaded", _("data downloaded")
        CONTACT_RECEIVED = "contact_received", _("message received")
        EMAIL_QUEUED = "email_queued", _("email queued")
        EMAIL_SENT = "email_sent", _("email sent")
        EMAIL_RETRY = "email_retry", _("email sending failed, will retry")
        EMAIL_FAILED = "email_failed", _("email abandoned")
        ERASED = "erased", _("erased")

    profile = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    profile_uid = models.UUIDField(db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("profile event")
        verbose_name_plural = _("profile events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, profile, kind, detail="", now=None):
        """Log an event of a profile; `detail` must hold no personal data."""
        return cls.objects.create(
            profile=profile if profile.pk else None,
            profile_uid=profile.uid,
            kind=kind,
            detail=str(detail)[:255],
            created_at=now or timezone.now(),
        )


class OutgoingEmail(models.Model):
    """An email stored before it is sent, so that an outage of the provider delays it
    and loses nothing. Bodies are erased once sent; the row after OUTBOX_RETENTION_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("abandoned")

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="outgoing_emails"
    )
    template = models.CharField(max_length=60)
    recipient = models.EmailField()
    # The contact relay: the sender's address, so that the recipient's answer reaches them.
    reply_to = models.EmailField(blank=True)
    subject = models.CharField(max_length=255)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    # Extra headers: List-Unsubscribe of the periodic emails (alert digests, suggestions),
    # whose one-click link is as live as the bodies' links; erased with them.
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.template} #{self.pk} ({self.status})"
