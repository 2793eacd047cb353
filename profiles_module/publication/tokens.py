"""Owners' links: random tokens of 256 bits, stored hashed, single use, expiring.

A GET never spends a token (mail scanners follow links); only the POST of the button
on the page it opens does, through `spend`.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from profiles_module.conf import app_settings
from profiles_module.models import AccessToken
from profiles_module.models.publication import hash_token

Purpose = AccessToken.Purpose


def lifetime(purpose):
    """How long a new link of this purpose stays valid."""
    return {
        Purpose.CONFIRM: timedelta(days=app_settings.CONFIRM_LINK_DAYS),
        Purpose.MANAGE: timedelta(days=app_settings.MANAGE_LINK_DAYS),
        Purpose.CHANGE_EMAIL: timedelta(hours=app_settings.EMAIL_CHANGE_LINK_HOURS),
    }[purpose]


def issue(profile, purpose, *, new_email="", now=None):
    """Create a token and return its raw value: it exists only in the email."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    AccessToken.objects.create(
        profile=profile,
        purpose=purpose,
        token_hash=hash_token(raw),
        new_email=new_email,
        created_at=now,
        expires_at=now + lifetime(purpose),
    )
    return raw


def find(raw, purpose):
    """The token for a raw value and purpose (whatever its state), or None."""
    if not raw or len(raw) > 100:
        return None
    return (
        AccessToken.objects.select_related("profile")
        .filter(token_hash=hash_token(raw), purpose=purpose)
        .first()
    )


def spend(raw, purpose, now=None):
    """Mark a valid token used and return it; None if unknown, used or expired.

    The conditional UPDATE makes two simultaneous POSTs spend it only once.
    """
    now = now or timezone.now()
    token = find(raw, purpose)
    if token is None or token.state(now) != "valid":
        return None
    with transaction.atomic():
        spent = AccessToken.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=now)
    if not spent:
        return None
    token.used_at = now
    return token


# For a month after its end a stale link still says "expired" or "already used" rather
# than "not valid"; then its row (with the new address of an email change) goes.
STALE_TOKENS_KEPT = timedelta(days=30)


def purge_expired_tokens(now=None):
    """Delete tokens that expired more than a month ago; returns how many."""
    now = now or timezone.now()
    deleted, _ = AccessToken.objects.filter(expires_at__lt=now - STALE_TOKENS_KEPT).delete()
    return deleted
