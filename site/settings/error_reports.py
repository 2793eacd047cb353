"""What the logs and the admins' error emails may contain, and the form of the logs.

Link URLs carry secrets (a fiche's management or confirmation token, a signed contact
token) and requests carry what visitors typed (email, phone, address) and their session
cookie: none of it may reach a log file or a mailbox. A database error can quote a value
(PostgreSQL's "Key (email)=(…) already exists"), so whole log lines, tracebacks
included, are redacted, not only their messages.
"""

import json
import logging
import re
from datetime import UTC, datetime

from django.views.debug import ExceptionReporter

# A path segment long enough to be a token: secrets.token_urlsafe(32) is 43 characters,
# a django.core.signing value longer still. Public uuids of fiches go too, harmlessly.
SECRET_SEGMENT = re.compile(r"(?<=/)[-\w:.=]{32,}(?=/|\?|$)")


# An email address, matched from the start of a run of address characters only, so that
# a long run without "@" is read once (linear time, whatever the line).
EMAIL_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")


def redact(text):
    return EMAIL_ADDRESS.sub("[adresse]", SECRET_SEGMENT.sub("[…]", text))


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


class RedactingFormatter(logging.Formatter):
    """Plain lines ("time LEVEL logger: message", then the traceback), redacted."""

    def format(self, record):
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, redacted: time (UTC), level, logger, message, and the
    traceback and the response status when the record has them. For log collectors."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if getattr(record, "status_code", None):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["traceback"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class RequestlessReporter(ExceptionReporter):
    """The admins' report: the exception and its traceback, without the request (form
    fields, cookies, headers, URL) nor the settings (Django hides those named like a
    secret, not CACHE_URL's password)."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(None, *args, **kwargs)

    def get_traceback_data(self):
        return {**super().get_traceback_data(), "settings": {}}
