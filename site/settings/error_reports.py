"""What the error logs and the admins' error emails may contain.

Link URLs carry secrets (a fiche's management or confirmation token, a signed contact
token) and requests carry what visitors typed (email, phone, address) and their session
cookie: none of it may reach a log file or a mailbox.
"""

import logging
import re

from django.views.debug import ExceptionReporter

# A path segment long enough to be a token: secrets.token_urlsafe(32) is 43 characters,
# a django.core.signing value longer still. Public uuids of fiches go too, harmlessly.
SECRET_SEGMENT = re.compile(r"(?<=/)[-\w:.=]{32,}(?=/|\?|$)")


def redact(text):
    return SECRET_SEGMENT.sub("[…]", text)


class RedactTokens(logging.Filter):
    """Blank the token-like segments of the paths in a record's message ("Internal Server
    Error: /…/lien/<token>/"), before any handler formats it."""

    def filter(self, record):
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class RequestlessReporter(ExceptionReporter):
    """The admins' report: the exception and its traceback, without the request (form
    fields, cookies, headers, URL) nor the settings (Django hides those named like a
    secret, not CACHE_URL's password)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(None, *args, **kwargs)

    def get_traceback_data(self):
        return {**super().get_traceback_data(), "settings": {}}
