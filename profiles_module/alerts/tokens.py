"""The links of an alert's emails, signed rather than stored: the confirmation expires
with the unconfirmed alert, the unsubscribe link lasts as long as the alert."""

from datetime import timedelta

from django.core import signing

from profiles_module.conf import app_settings

CONFIRM_SALT = "profiles_module.alerts.confirm"
UNSUBSCRIBE_SALT = "profiles_module.alerts.unsubscribe"
# "See the search on the map": a forwarded digest must not let its reader unsubscribe.
MAP_SALT = "profiles_module.alerts.map"


def confirm_token(alert):
    return signing.dumps(alert.uid.hex, salt=CONFIRM_SALT)


def unsubscribe_token(alert):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(alert.uid.hex)


def map_token(alert):
    return signing.Signer(salt=MAP_SALT).sign(alert.uid.hex)


def confirmed_uid(token):
    """The uid (hex) a confirmation token was signed for, or None (forged or expired)."""
    try:
        value = signing.loads(
            token[:200],
            salt=CONFIRM_SALT,
            max_age=timedelta(days=app_settings.ALERT_CONFIRM_DAYS),
        )
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def signed_uid(token, salt):
    """The uid (hex) an unsubscribe or map token was signed for, or None."""
    try:
        return signing.Signer(salt=salt).unsign(token[:200])
    except signing.BadSignature:
        return None
