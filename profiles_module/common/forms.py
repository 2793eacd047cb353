"""What the public forms share: multi-line text fields and the error summary."""

from django import forms
from django.utils.text import normalize_newlines


class TextareaField(forms.CharField):
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
