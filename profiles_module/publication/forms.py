"""Public forms: publish a profile, edit it as its owner, change the address, ask for a link.

Validation stays on the model (validators, Profile.clean, Sector.clean): these forms only
choose the fields and add the consents, and on a partner's pages keep the wished sectors
in its territory (TerritoryLimit), a rule of where the form is shown, not of the profile.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.models import BaseModelFormSet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet, ClusterForm

from profiles_module.common.forms import (
    BoundedCharField,
    BoundedEmailField,
    BoundedURLField,
    ErrorSummaryMixin,
    TextareaField,
)
from profiles_module.common.validators import whole_number
from profiles_module.conf import app_settings
from profiles_module.geography.widgets import CommuneAutocompleteWidget
from profiles_module.models import (
    Commune,
    Departement,
    Profile,
    ProfileOption,
    Project,
    Region,
    Sector,
)
from profiles_module.publication.widgets import ProjectAutocompleteWidget


class PresentationLengthValidator(MaxLengthValidator):
    """The presentation's limit, with the message of Profile.clean."""

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise forms.ValidationError(
                _("The presentation may have at most %(limit)d characters (it has %(count)d)."),
                code="too_long",
                params={"limit": self.limit_value, "count": len(value)},
            )


PROFILE_FIELDS = [
    "profile_kind",
    "public_name",
    "composition",
    "adults",
    "children",
    "age_bands",
    "presentation",
    "photo",
    "setting",
    "tenure",
    "project_kinds",
    "horizon",
    "role",
    "steps",
    "place_identified",
    "place_commune",
    "values",
    "values_other",
    "financing_band",
    "financing_public",
    "social_housing_eligible",
    "national_project_url",
    "project",
    "project_relation",
    "news_consent",
]

# The sections of the form, in order: (legend, fields).
FIELDSETS = [
    (_("You"), ["profile_kind", "public_name", "composition", "adults", "children", "age_bands"]),
    (_("Your project"), ["setting", "tenure", "project_kinds", "horizon", "role"]),
    (
        _("Where you are in your project"),
        ["steps", "place_identified", "place_commune", "values", "values_other"],
    ),
    (
        _("Financing (optional)"),
        ["financing_band", "financing_public", "social_housing_eligible"],
    ),
    (_("Presentation"), ["presentation", "photo", "national_project_url"]),
    (_("A project of the national database (optional)"), ["project", "project_relation"]),
]


class SectorForm(ClusterForm):
    """One wished sector. On a partner's pages ProfileForm sets `limit` (a TerritoryLimit)."""

    limit = None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        # The kinds are named like the fields of their place.
        place = cleaned.get(kind) if kind in Sector.Kind.values else None
        if self.limit is not None and place is not None and not self.limit.allows(self, place):
            self.add_error(kind, self.limit.error())
            # add_error drops the place, and Sector.clean would then add "Choose the place
            # of this sector" too: the form is invalid anyway, keep it for the model.
            cleaned[kind] = place
        return cleaned


class TerritoryLimit:
    """The wished sectors a partner's form accepts (its embedded pages, its own site):
    communes and départements of its territory, and the régions it covers whole.

    A sector already stored elsewhere (published on the national site, or set by an
    editor) may stay as it is: only a new or changed place is refused.
    """

    def __init__(self, partner):
        territory = partner.get_territory()
        self.partner = partner
        self.region_ids = set(territory.region_ids)
        self.departement_ids = set(territory.departements_queryset().values_list("pk", flat=True))

    @classmethod
    def of(cls, partner):
        """The limit of a partner's forms, or None (no partner, or all of France)."""
        if partner is None or partner.get_territory().everywhere:
            return None
        return cls(partner)

    @cached_property
    def label(self):
        """Its régions, then its départements outside them: "Auvergne-Rhône-Alpes, Jura (39)"."""
        regions = Region.objects.filter(pk__in=self.region_ids).order_by("name")
        departements = (
            Departement.objects.filter(pk__in=self.partner.get_territory().departement_ids)
            .exclude(region_id__in=self.region_ids)
            .order_by("code")
        )
        return ", ".join([region.name for region in regions] + [str(d) for d in departements])

    def error(self):
        return forms.ValidationError(
            _(
                "%(partner)s covers %(territory)s. For a sector elsewhere, publish your "
                "profile on the national site."
            ),
            code="outside_territory",
            params={"partner": self.partner.name, "territory": self.label},
        )

    def contains(self, kind, place):
        """Whether a sector of this kind around this place lies in the territory."""
        if kind == Sector.Kind.REGION:
            return place.pk in self.region_ids
        if kind == Sector.Kind.DEPARTEMENT:
            return place.pk in self.departement_ids
        return place.departement_id in self.departement_ids

    def allows(self, form, place):
        """Whether a sector form may keep this place: in the territory, or unchanged."""
        kind = form.cleaned_data["kind"]
        stored = form.instance
        if stored.pk and stored.kind == kind and getattr(stored, f"{kind}_id") == place.pk:
            return True
        return self.contains(kind, place)

    def apply(self, form):
        """Offer only the places of the territory in a sector form (and its stored place,
        so that it still shows), pre-selected when there is only one."""
        form.limit = self
        # A commune typed without JavaScript is looked for in the territory first.
        form.fields["commune"].widget.territory = self.partner.get_territory()
        stored = form.instance
        departements = self.departement_ids | ({stored.departement_id} - {None})
        regions = self.region_ids | ({stored.region_id} - {None})
        form.fields["departement"].queryset = Departement.objects.filter(pk__in=departements)
        form.fields["region"].queryset = Region.objects.filter(pk__in=regions)
        if not regions:
            form.fields["kind"].choices = [
                choice for choice in Sector.Kind.choices if choice[0] != Sector.Kind.REGION
            ]
        if stored.pk is None and not form.empty_permitted:
            # Only in the sector that must be filled in: in an optional one, a pre-selected
            # place left out of the POST would count as a change, hence as a sector.
            # form.initial, not the field's: a new sector's initial holds None for each.
            if len(self.departement_ids) == 1:
                form.initial["departement"] = next(iter(self.departement_ids))
            if len(self.region_ids) == 1:
                form.initial["region"] = next(iter(self.region_ids))


class SectorFormSet(BaseChildFormSet):
    """The wished sectors. An existing sector's id comes back in the POST: modelcluster
    converts it unchecked (a 500 on "abc" or a megabyte of digits), so an id that is not
    one makes a new sector's form, whose id field then answers that it is not valid."""

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            pk = self.data.get(f"{self.add_prefix(i)}-{self.model._meta.pk.name}", "")
            if pk != "" and whole_number(pk) is None:
                # What modelcluster does for an empty id, past its conversion.
                return super(BaseModelFormSet, self)._construct_form(
                    i, instance=self.model(), **kwargs
                )
        return super()._construct_form(i, **kwargs)


SECTOR_FORMSET = {
    "form": SectorForm,
    "formset": SectorFormSet,
    "fields": ["kind", "commune", "radius_km", "departement", "region"],
    "widgets": {
        "kind": forms.RadioSelect,
        "commune": CommuneAutocompleteWidget,
        "radius_km": forms.RadioSelect,
    },
    "min_num": 1,
    "validate_min": True,
    "max_num": 3,
    "validate_max": True,
    "extra": 2,
}


class ProfileForm(ErrorSummaryMixin, ClusterForm):
    """The profile as its owner edits it: every public criterion and the news consent.

    `partner`: the partner whose embedded pages or own site show the form, if any; the
    wished sectors are then limited to its territory (TerritoryLimit).
    """

    fieldsets = FIELDSETS

    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        formsets = {"sectors": SECTOR_FORMSET}
        widgets = {
            "profile_kind": forms.RadioSelect,
            "composition": forms.RadioSelect,
            "setting": forms.RadioSelect,
            "tenure": forms.RadioSelect,
            "horizon": forms.RadioSelect,
            "role": forms.RadioSelect,
            "financing_band": forms.RadioSelect,
            "project_kinds": forms.CheckboxSelectMultiple,
            "steps": forms.CheckboxSelectMultiple,
            "values": forms.CheckboxSelectMultiple,
            "place_commune": CommuneAutocompleteWidget,
            "project": ProjectAutocompleteWidget,
            "project_relation": forms.RadioSelect,
            "presentation": forms.Textarea(attrs={"rows": 6}),
            # A pseudonym at most: the browser may offer its saved nickname, not a full name.
            "public_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }
        field_classes = {
            "public_name": BoundedCharField,
            "values_other": BoundedCharField,
            "presentation": TextareaField,
            "national_project_url": BoundedURLField,
        }
        labels = {
            "news_consent": _("I would like to receive news from the cohousing network"),
        }
        help_texts = {
            "public_name": _("A first name or a pseudonym, shown publicly."),
            "news_consent": _("Optional. You can withdraw it at any time."),
        }

    def __init__(self, *args, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector_limit = TerritoryLimit.of(partner)
        self.limit_presentation()
        categories = {
            "project_kinds": ProfileOption.Category.PROJECT_KIND,
            "steps": ProfileOption.Category.STEP,
            "values": ProfileOption.Category.VALUE,
        }
        for name, category in categories.items():
            self.fields[name].queryset = ProfileOption.objects.filter(category=category)
        self.fields["place_commune"].queryset = Commune.objects.all()
        self.fields["project"].queryset = Project.objects.current()
        self.fields["project"].error_messages["invalid_choice"] = _(
            "No project of the national database has this name: pick one of the "
            "suggestions, or leave the box empty."
        )
        self.fields["project_relation"].choices = self.fields["project_relation"].choices[1:]
        # A required radio list has nothing to pre-select: Django's blank choice would show
        # as a ticked "- Select an option -" that fails on submission.
        self.fields["composition"].choices = [
            choice for choice in self.fields["composition"].choices if choice[0] != ""
        ]
        for name in ("setting", "tenure", "horizon", "role", "financing_band"):
            # A radio list with a "no answer" choice rather than a dash.
            self.fields[name].choices = [("", _("No answer")), *self.fields[name].choices[1:]]
        self.fields["social_housing_eligible"] = forms.TypedChoiceField(
            label=self.fields["social_housing_eligible"].label,
            required=False,
            choices=[("", _("I prefer not to say")), ("True", _("yes")), ("False", _("no"))],
            coerce=lambda value: value == "True",
            empty_value=None,
            widget=forms.RadioSelect,
        )
        for index, form in enumerate(self.formsets["sectors"].forms, start=1):
            if "ORDER" in form.fields:
                form.fields["ORDER"].widget = forms.HiddenInput()
                form.fields["ORDER"].initial = index
            form.fields["commune"].queryset = Commune.objects.all()
            form.fields["kind"].choices = Sector.Kind.choices
            form.fields["radius_km"].choices = Sector.RADIUS_CHOICES
            form.fields["departement"].empty_label = _("Choose a département")
            form.fields["region"].empty_label = _("Choose a région")
            if self.sector_limit is not None:
                self.sector_limit.apply(form)

    def limit_presentation(self):
        """The presentation's limit (a setting, read now) checked by the form field, before
        the model's patterns scan the text."""
        field = self.fields["presentation"]
        field.max_length = app_settings.PRESENTATION_MAX_LENGTH
        field.widget.attrs["maxlength"] = str(field.max_length)
        field.validators.append(PresentationLengthValidator(field.max_length))

    def clean(self):
        cleaned = super().clean()
        # Profile.clean wants the date of the news consent, which is not a form field.
        if cleaned.get("news_consent"):
            if not self.instance.news_consent_at:
                self.instance.news_consent_at = timezone.now()
        else:
            self.instance.news_consent_at = None
        return cleaned

    def get_fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def error_summary(self):
        items = super().error_summary()
        formset = self.formsets["sectors"]
        for error in formset.non_form_errors():
            items.append(("sectors", _("Wished sectors"), error))
        for index, form in enumerate(formset.forms, start=1):
            for name, errors in form.errors.items():
                field_id = form[name].auto_id if name in form.fields else "sectors"
                label = _("Sector %(number)d") % {"number": index}
                if name in form.fields:
                    label = f"{label} — {form.fields[name].label}"
                items.extend((field_id, label, error) for error in errors)
        return items


class PublishProfileForm(ProfileForm):
    """The form of the publish page: the profile, the private address and the consents."""

    email = BoundedEmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Private: never shown. We send you the confirmation link and, later, the link "
            "to manage your profile."
        ),
    )
    publication_consent = forms.BooleanField(
        label=_("I agree to the publication of this profile on the site"),
        required=True,
        help_text=_("Required. Your email address is never published."),
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = BoundedCharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta(ProfileForm.Meta):
        fields = [*PROFILE_FIELDS, "email"]

    def clean(self):
        cleaned = super().clean()
        self.instance.publication_consent_at = timezone.now()
        return cleaned

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class EmailChangeForm(ErrorSummaryMixin, forms.Form):
    email = BoundedEmailField(
        label=_("New email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class LinkRequestForm(ErrorSummaryMixin, forms.Form):
    email = BoundedEmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class DeleteForm(ErrorSummaryMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my profile and all its data will be erased for good"),
        required=True,
    )
