"""What the public forms share: text fields whose length is checked first, multi-line
text, and the error summary."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import normalize_newlines


class LengthFirst:
    """A text field that refuses over-long text before its other validators see it.

    Django runs every validator of a field, the length check among them (and after the
    field's own validators): a pattern would still scan a megabyte that is refused
    anyway. Here the length alone answers, and the model's validators are skipped too
    (a ModelForm leaves a field with an error out of the model's full_clean).
    """

    def run_validators(self, value):
        if value not in self.empty_values:
            for validator in self.validators:
                if isinstance(validator, MaxLengthValidator):
                    validator(value)
        super().run_validators(value)


class BoundedCharField(LengthFirst, forms.CharField):
    pass


class BoundedEmailField(LengthFirst, forms.EmailField):
    pass


class BoundedURLField(LengthFirst, forms.URLField):
    pass


class TextareaField(BoundedCharField):
    """Multi-line text with its line breaks as typed: browsers send them as CRLF, which
    would count twice against max_length (the browser's maxlength counts once) and mix
    with the LF of our own templates in emails."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class ErrorSummaryMixin:
    def error_summary(self):
        """(field id, label, message) of every error, for the summary at the top."""
        items = []
        for name, errors in self.errors.items():
            field_id = self[name].auto_id if name in self.fields else ""
            label = self.fields[name].label if name in self.fields else ""
            items.extend((field_id, label, error) for error in errors)
        return items
