"""Validators for the free text households type, which is shown to the public.

Public text stays plain text: no markup, no control characters, and no contact
details (the relay exists so that nobody has to publish an address or a number).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every pattern here runs on text typed by anyone: each must stay linear in the length of
# the text. A quantified run followed by something that may fail makes search() try it
# from every position of the run and give it back character by character (quadratic:
# minutes of CPU for 100 kB). So a run starts only where it cannot be extended to the left
# (a lookbehind), and quantifiers whose next token can never match what they consume are
# possessive (*+, ++): same matches, no giving back.

# A tag-like sequence: "<" followed by a letter, "/" or "!" (so "3 < 5" stays valid).
MARKUP_RE = re.compile(r"<\s*+[a-zA-Z/!?]|&#?+\w++;")
# C0/C1 control characters except tab and newlines (CR/LF are allowed in multi-line text).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK_RE = re.compile(r"[\r\n\u2028\u2029]")
# An address, also written "name (at) domain.tld" or "name [at] domain.tld".
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]++\s*+(?:@|\(at\)|\[at\])\s*+[\w-]++\.[\w.-]++", re.IGNORECASE
)
# French numbers (06 12 34 56 78, +33 6 12 34 56 78, 06.12.34.56.78) and long digit runs.
PHONE_RE = re.compile(r"(?:\+|00)\d{2}[\s.-]?\d(?:[\s.-]?\d{2}){4}|\b0\d(?:[\s.-]?\d{2}){4}\b")


def validate_plain_text(value):
    if MARKUP_RE.search(value):
        raise ValidationError(
            _("HTML and markup are not allowed: write plain text."), code="markup"
        )
    if CONTROL_RE.search(value):
        raise ValidationError(_("This text contains invisible control characters."), code="control")


def validate_single_line(value):
    validate_plain_text(value)
    if LINE_BREAK_RE.search(value):
        raise ValidationError(_("This field must fit on one line."), code="line_break")


def validate_no_contact_details(value):
    if EMAIL_RE.search(value):
        raise ValidationError(
            _(
                "Do not publish an email address: people write to you through the "
                "contact form, which keeps your address private."
            ),
            code="email_in_text",
        )
    if PHONE_RE.search(value):
        raise ValidationError(
            _("Do not publish a phone number: people write to you through the contact form."),
            code="phone_in_text",
        )


# The largest value of a database id: PostgreSQL's bigint, and SQLite's integer.
MAX_ID = 2**63 - 1


def whole_number(text, maximum=MAX_ID):
    """The number written in `text` with ASCII digits, or None (not one, or above `maximum`).

    str.isdigit() accepts "²", which int() refuses, and "٣", which int() reads; a number
    past the database's integer range makes SQLite and PostgreSQL raise rather than find
    nothing. Typed ids and numbers go through here before int() or a query.
    """
    text = str(text)
    # Twenty digits are past MAX_ID already: no int() of a megabyte (which Python refuses).
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    number = int(text)
    return number if number <= maximum else None
