"""Option lists of the profile form that editors extend in the admin, without a code change."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ProfileOption(models.Model):
    class Category(models.TextChoices):
        PROJECT_KIND = "project_kind", _("kind of project")
        STEP = "step", _("step already taken")
        VALUE = "value", _("value or theme")

    # The slug of the "no preference" option of a list (kinds of project: "indifférent"):
    # it matches nothing in particular, and any choice suits it.
    NO_PREFERENCE = "any"

    category = models.CharField(_("list"), max_length=20, choices=Category.choices)
    label = models.CharField(_("label (French)"), max_length=80)
    label_en = models.CharField(
        _("label (English)"),
        max_length=80,
        blank=True,
        help_text=_("Shown in the English interface; the French label is used when empty."),
    )
    slug = models.SlugField(
        _("identifier"),
        max_length=80,
        help_text=_("Used in search links (URLs). Do not change it once the option is in use."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category", "sort_order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="unique_option_slug")
        ]
        verbose_name = _("profile option")
        verbose_name_plural = _("profile options")

    def __str__(self):
        return self.display_label(self.label, self.label_en)

    @staticmethod
    def display_label(label, label_en):
        """The label in the current language: English when asked for and given."""
        if label_en and (get_language() or "").startswith("en"):
            return label_en
        return label

    def profiles_using(self):
        """Profiles that chose this option (Wagtail's usage view does not see M2M fields)."""
        # By name: Profile's module imports this one for its many-to-many fields.
        profile = self._meta.apps.get_model("profiles_module", "Profile")
        return profile.objects.filter(
            models.Q(project_kinds=self) | models.Q(steps=self) | models.Q(values=self)
        ).distinct()
