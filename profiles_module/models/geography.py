"""French reference geography: régions, départements, communes (INSEE / IGN / La Poste).

Loaded from the data files shipped in profiles_module/geography/data by
`python manage.py load_geography`; never edited by hand.
"""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

SAINT_RE = re.compile(r"\b(st|ste)\b")
SEPARATORS_RE = re.compile(r"[\s\-'’_.,/]+")


def normalize_place_name(text):
    """Lower-case, accent-free, single-spaced, with "St"/"Ste" spelt out.

    "St-Étienne", "saint etienne" and "SAINT-ÉTIENNE" all become "saint etienne".
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = SEPARATORS_RE.sub(" ", text).strip()
    return SAINT_RE.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", text)


class Place(models.Model):
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Region(Place):
    code = models.CharField(_("code"), max_length=3, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")


class Departement(Place):
    code = models.CharField(_("code"), max_length=3, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return self.format_label(self.name, self.code)

    @staticmethod
    def format_label(name, code):
        """How a département is named in lists: "Loire (42)"."""
        return f"{name} ({code})"


class Commune(Place):
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    # normalize_place_name(name), indexed for prefix search (LIKE 'x%').
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    # Space-separated, e.g. "42000 42100": a commune can have several.
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        ordering = ["name"]
        # "Around a commune": the communes in a bounding box.
        indexes = [models.Index(fields=["latitude", "longitude"], name="commune_point_idx")]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Name as people write it on an envelope: "Saint-Étienne (42000)"."""
        return self.label_for_postal_code("")

    def label_for_postal_code(self, typed):
        """The label with the postal code that starts with what was typed, if any."""
        codes = self.postal_codes.split()
        code = next((c for c in codes if typed and c.startswith(typed)), codes[0] if codes else "")
        return f"{self.name} ({code})" if code else self.name
