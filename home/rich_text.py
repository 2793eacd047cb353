"""The site's rich text editor: Wagtail's Draftail, reading a value that is not the
editor's JSON as plain text instead of failing with a server error.

Draftail always posts its JSON; anything else comes from a hand-made request, and Wagtail
would raise JSONDecodeError while reading the form. Read as escaped paragraphs, the text
is shown back in the editor, and saved only if the editor saves it again.
"""

import json

from django.utils.html import linebreaks
from wagtail.admin.rich_text import DraftailRichTextArea


class TolerantDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (json.JSONDecodeError, TypeError, KeyError, AttributeError):
            return linebreaks(data.get(name, ""), autoescape=True)
