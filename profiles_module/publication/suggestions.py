"""The owner's periodic email of suggestions: sent when it has fiches the owner was not
told about yet, switched off from the management page or by the link in each email."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F, Q
from django.utils import timezone, translation

from profiles_module.conf import app_settings
from profiles_module.matching.suggest import suggestions_for
from profiles_module.models import Profile, SuggestionEmails
from profiles_module.publication.emails import (
    link,
    partner_frame,
    queue_email,
    unsubscribe_headers,
)

# The "stop these emails" link: the fiche's uid, signed. It never expires and works any
# number of times, so an old email can still stop the next ones; it only ever switches
# the email off, which the owner can undo from the management page.
STOP_SALT = "profiles_module.suggestions.stop"


def stop_token(profile):
    return signing.dumps(str(profile.uid), salt=STOP_SALT)


def profile_of_stop_token(raw):
    """The fiche a stop link was made for, or None (unknown, altered or erased)."""
    if not raw or len(raw) > 200:
        return None
    try:
        uid = signing.loads(raw, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Profile.objects.filter(uid=uid).first()


def emails_enabled(profile):
    return SuggestionEmails.of(profile).enabled


def set_emails(profile, enabled):
    row = SuggestionEmails.of(profile)
    row.enabled = enabled
    row.save()


def due(now):
    """Published fiches whose email is on and not looked at for SUGGESTIONS_EMAIL_DAYS,
    the longest waiting first, at most SUGGESTIONS_EMAILS_PER_RUN of them."""
    cutoff = now - timedelta(days=app_settings.SUGGESTIONS_EMAIL_DAYS)
    return (
        Profile.objects.public()
        .filter(awaiting_confirmation=False)
        .exclude(suggestion_emails__enabled=False)
        .filter(
            Q(suggestion_emails__isnull=True)
            | Q(suggestion_emails__checked_at__isnull=True)
            | Q(suggestion_emails__checked_at__lte=cutoff)
        )
        .order_by(F("suggestion_emails__checked_at").asc(nulls_first=True), "pk")
    )[: app_settings.SUGGESTIONS_EMAILS_PER_RUN]


def territory_of_links(profile):
    """The territory the email's links can open: a partner's, when they lead into its
    embedded pages or its own site (which show only its fiches); else None."""
    partner = profile.partner
    if partner is None:
        return None
    if partner_frame(profile) or (partner.site_id and partner.site_id == profile.site_id):
        return partner.get_territory()
    return None


def email_items(profile, found):
    """What the email says of each suggestion, with links in the owner's language."""
    return [
        {
            "name": suggestion.profile.public_name,
            "kind": suggestion.profile.get_profile_kind_display(),
            "url": link(profile, "profile_short", suggestion.profile.uid),
            "reasons": [text for _points, text in suggestion.reasons],
        }
        for suggestion in found
    ]


def send_if_new(profile, now=None):
    """Look for the fiche's suggestions; email them if one is new to the owner. Returns
    the queued message, or None."""
    now = now or timezone.now()
    row = SuggestionEmails.of(profile)
    row.checked_at = now
    message = None
    with translation.override(profile.language or settings.LANGUAGE_CODE):
        found = suggestions_for(profile, territory=territory_of_links(profile))
        uids = [str(suggestion.profile.uid) for suggestion in found]
        if row.enabled and set(uids) - set(row.sent_uids):
            stop_url = link(profile, "suggestions_stop", stop_token(profile))
            message = queue_email(
                profile,
                "suggestions",
                context={
                    "suggestions": email_items(profile, found),
                    "new_count": len(set(uids) - set(row.sent_uids)),
                    "notice": found.notice,
                    "stop_url": stop_url,
                },
                now=now,
                headers=unsubscribe_headers(stop_url),
            )
            row.remember(uids)
            row.sent_at = now
    row.save()
    return message


def send_due(now=None):
    """The scheduled pass's part: returns how many emails were queued."""
    now = now or timezone.now()
    return sum(send_if_new(profile, now) is not None for profile in due(now))
