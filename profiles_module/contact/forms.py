"""The contact relay's forms: write to a household (or a contact block's address),
and report abuse."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from profiles_module.common.forms import (
    BoundedCharField,
    BoundedEmailField,
    ErrorSummaryMixin,
    TextareaField,
)
from profiles_module.common.validators import CONTROL_RE, validate_plain_text, validate_single_line
from profiles_module.conf import app_settings


class ContactForm(ErrorSummaryMixin, forms.Form):
    """Write to a household from its profile page (the contact relay).

    `form_token` is signed with the time the form was shown: a message sent less than
    PROFILES_CONTACT_FORM_MIN_SECONDS later (a bot) or more than
    PROFILES_CONTACT_FORM_MAX_SECONDS later is refused.
    """

    SALT = "profiles_module.contact"

    sender_name = BoundedCharField(
        label=_("Your name"),
        max_length=80,
        validators=[validate_single_line],
        help_text=_("Shown to the household with your message."),
    )
    # Not named "…email…", and not type="email": public pages never mention the word,
    # so that the privacy crawl (tests/test_privacy.py) can look for it.
    sender_address = BoundedEmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Never shown on the site. The household sees it only as the address their "
            "answer goes to (Reply-To) when they reply to your message."
        ),
    )
    message = TextareaField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, at most 5000 characters."),
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = BoundedCharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # A token is about 60 characters; a longer one is not worth unsigning.
    form_token = BoundedCharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, profile=None, target=None, **kwargs):
        # What the form token is signed for: a profile, or a ContactRelayBlock's target.
        self.profile = profile
        self.target = str(profile.uid) if profile is not None else target
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = self.sign_token()

    def signer(self):
        return signing.TimestampSigner(salt=self.SALT)

    def sign_token(self):
        return self.signer().sign(self.target)

    def clean_sender_name(self):
        name = self.cleaned_data["sender_name"].strip()
        # An encoded word ("=?utf-8?q?…?=") could smuggle a header once decoded.
        if "=?" in name:
            raise forms.ValidationError(_("This name contains characters that are not allowed."))
        return name

    def clean_sender_address(self):
        address = self.cleaned_data["sender_address"]
        # Valid in an address, but Python's email package decodes an encoded word there:
        # "=?utf-8?q?x?=@example.net" would become "x@example.net" in the headers (or
        # break the email with a decoded CR/LF).
        if "=?" in address:
            raise forms.ValidationError(_("This address contains characters that are not allowed."))
        return address

    def clean_message(self):
        message = self.cleaned_data["message"]
        if CONTROL_RE.search(message):
            raise forms.ValidationError(_("This text contains invisible control characters."))
        return message

    def clean_form_token(self):
        token = self.cleaned_data.get("form_token", "")
        try:
            value = self.signer().unsign(token, max_age=app_settings.CONTACT_FORM_MAX_SECONDS)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("This form was open for too long. Check your message and send it again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            value = None
        if value != self.target:
            raise forms.ValidationError(
                _("This form is not valid any more. Check your message and send it again."),
                code="invalid",
            )
        sent_after = time.time() - signing.b62_decode(token.rsplit(":", 2)[1])
        if sent_after < app_settings.CONTACT_FORM_MIN_SECONDS:
            raise forms.ValidationError(
                _("Your message was sent too fast. Wait a few seconds and send it again."),
                code="too_fast",
            )
        return token

    def full_clean(self):
        super().full_clean()
        # Every refused form gets a fresh token, so that sending again works.
        if self.is_bound and self._errors:
            data = self.data.copy()
            data["form_token"] = self.sign_token()
            self.data = data

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class AbuseReportForm(ErrorSummaryMixin, forms.Form):
    """The "report abuse" link of a relayed message: an optional comment (plain text,
    like every text a visitor types) for the editors."""

    comment = BoundedCharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text, at most 2000 characters. Read by the site's editors only."),
    )
