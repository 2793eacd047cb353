"""The alert forms: save a map page's search with an address, and an owner's alert."""

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles_module.common.forms import BoundedCharField, BoundedEmailField, ErrorSummaryMixin
from profiles_module.common.validators import whole_number
from profiles_module.models import MapPage, SearchAlert

FREQUENCY_CHOICES = [
    (SearchAlert.Frequency.DAILY, _("Every day")),
    (SearchAlert.Frequency.WEEKLY, _("Every week")),
]


class FrequencyField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("How often"),
            choices=FREQUENCY_CHOICES,
            initial=SearchAlert.Frequency.WEEKLY,
            **kwargs,
        )


class AlertForm(ErrorSummaryMixin, forms.Form):
    """ "Send me the new fiches of this search": posted from a map page with its query.

    The address field is not named "…email…": public pages never mention the word, so
    that the privacy crawl (tests/test_privacy.py) can look for it.
    """

    address = BoundedEmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Never shown on the site. We first send a link to confirm it."),
    )
    frequency = FrequencyField()
    # The map page and its query string, as the page showed them.
    page = BoundedCharField(widget=forms.HiddenInput, max_length=20)
    query = BoundedCharField(widget=forms.HiddenInput, required=False, max_length=2000)
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = BoundedCharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_address(self):
        address = self.cleaned_data["address"]
        # Valid in an address, but Python's email package decodes an encoded word there,
        # which could smuggle a header (or a CR/LF) into the email.
        if "=?" in address:
            raise forms.ValidationError(_("This address contains characters that are not allowed."))
        return address

    def clean_page(self):
        number = whole_number(self.cleaned_data["page"])
        page = MapPage.objects.live().filter(pk=number).first() if number else None
        if page is None:
            raise forms.ValidationError(_("This map page does not exist any more."))
        return page

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class OwnerAlertForm(forms.Form):
    """The owner's alert: which of their fiche's criteria it keeps (all, unless they untick
    some), and how often."""

    criteria = forms.MultipleChoiceField(
        label=_("The criteria of your fiche to follow"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one criterion.")},
    )
    frequency = FrequencyField(widget=forms.RadioSelect)

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(c.name, c.label) for c in criteria]
        self.fields["criteria"].initial = [c.name for c in criteria]
