"""Saved searches: a map page's criteria and an address that receives the new fiches."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .pages import MapPage
from .partners import Partner
from .profiles import Profile


class SearchAlert(models.Model):
    """A search saved from a map page (its query string), sent as a digest of the fiches
    published since the last one. Personal data: an unconfirmed alert is erased after
    PROFILES_ALERT_CONFIRM_DAYS, a confirmed one when unsubscribed (or with its fiche)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty for an owner's alert: the digest goes to the fiche's address, whatever it becomes.
    email = models.EmailField(_("email address"), blank=True)
    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_alerts",
        verbose_name=_("owner's profile"),
    )
    page = models.ForeignKey(
        MapPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("map page")
    )
    # Saved from a partner's embedded pages or site: its territory limits the search too,
    # and the links lead back into its pages.
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    query = models.CharField(_("criteria"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Fiches first published after this moment are new to the next digest.
    checked_until = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["confirmed_at", "checked_until"], name="alert_due_idx"),
        ]
        verbose_name = _("search alert")
        verbose_name_plural = _("search alerts")

    def __str__(self):
        return f"{self.page} ({self.get_frequency_display()})"

    @property
    def recipient(self):
        return self.profile.email if self.profile_id else self.email
