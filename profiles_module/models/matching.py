"""What the owner's email of suggestions remembers: whether they want it, and which
fiches it already told them about."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .profiles import Profile

# The uids of fiches already sent that are remembered: enough for years of weekly emails
# of a few suggestions, bounded so the row never grows without end.
SENT_UIDS_KEPT = 500


class SuggestionEmails(models.Model):
    """One fiche's periodic email of suggestions. No row: the email is on and nothing
    was sent yet."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="suggestion_emails"
    )
    enabled = models.BooleanField(_("receive the suggestions by email"), default=True)
    # When the scheduled pass last looked for new suggestions (sent or not): the pass
    # runs hourly, and each fiche is looked at once per PROFILES_SUGGESTIONS_EMAIL_DAYS.
    checked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Public uids (as text) of the fiches already suggested by email, newest last.
    sent_uids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("email of suggestions")
        verbose_name_plural = _("emails of suggestions")

    def __str__(self):
        return str(self.profile)

    @classmethod
    def of(cls, profile):
        """The fiche's row, unsaved when it has none yet."""
        return cls.objects.filter(profile=profile).first() or cls(profile=profile)

    def remember(self, uids):
        """Add uids to those already sent, keeping the most recent SENT_UIDS_KEPT."""
        known = [uid for uid in self.sent_uids if uid not in uids]
        self.sent_uids = (known + list(uids))[-SENT_UIDS_KEPT:]
