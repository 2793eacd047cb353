"""The projects of the national database (imported, read-only here) and the log of
each import."""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profiles_module.common.versions import CacheVersion

from .geography import Commune

# Replaced by each import and by any other change to a project (apps.py): the map pages,
# which say whether there is a projects layer to show, follow it.
PROJECTS_VERSION = CacheVersion("profiles_module:projects:version")
# Only a change missed by both (a raw SQL update) waits this long.
PROJECTS_CACHE_SECONDS = 60 * 60


class ProjectQuerySet(models.QuerySet):
    def current(self):
        """Projects still in the national database: the only ones shown anywhere public."""
        return self.filter(gone_at__isnull=True)

    def any_shown(self):
        """Whether a current project can be shown, asked by every search (its map offers
        the layer then): kept until the projects change."""
        # The queryset built only when asked: about 1 % of a searched page's time.
        return PROJECTS_VERSION.remembered(
            ("any-current",),
            lambda: self.current().exists(),
            PROJECTS_CACHE_SECONDS,
            in_process=True,
        )

    def matching(self, text):
        """Projects whose name or commune contains every word of `text` (case-insensitive)."""
        words = re.findall(r"\w+", text)[:8]
        if not words:
            return self.none()  # punctuation alone matches nothing, not everything
        queryset = self
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(commune_name__icontains=word)
                | Q(postal_code__startswith=word)
            )
        return queryset


class Project(models.Model):
    """A cohousing project of the national database, as its last import saw it.

    Written by the import only (projects/importer.py); the admin shows it read-only: the
    national database is where a project is edited. Not in the search index: an import
    writes thousands at once, and every search here is a plain filter (`matching`).
    """

    bazar_id = models.CharField(_("id in the national database"), max_length=150, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=200, blank=True)
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (reference)"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    source_url = models.URLField(_("page in the national database"), max_length=500, blank=True)
    source_updated_at = models.DateTimeField(_("last changed in the national database"), null=True)
    gone_at = models.DateTimeField(
        _("gone from the national database on"),
        null=True,
        blank=True,
        help_text=_("Set when an import no longer finds it; it is then shown nowhere."),
    )
    imported_at = models.DateTimeField(_("first imported on"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed by an import on"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("project of the national database")
        verbose_name_plural = _("projects of the national database")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """The name and where: what the autocomplete of the forms offers and shows."""
        departement = f"({self.postal_code[:2]})" if self.postal_code else ""
        place = " ".join(filter(None, [self.commune_name, departement]))
        return f"{self.name} — {place}" if place else self.name

    @property
    def is_current(self):
        return self.gone_at is None


class ProjectImport(models.Model):
    """One import of the projects: when, from where, what it did, or why it failed."""

    class Status(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed: nothing changed")

    started_at = models.DateTimeField(_("started on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True)
    source = models.CharField(_("source"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    removed = models.PositiveIntegerField(_("marked as gone"), default=0)
    skipped = models.PositiveIntegerField(_("entries skipped"), default=0)
    skipped_ids = models.TextField(
        _("ids of the skipped entries"), blank=True, help_text=_("With the reason of each.")
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import of the projects")
        verbose_name_plural = _("imports of the projects")

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} — {self.get_status_display()}"
