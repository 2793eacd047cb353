"""The emails of the alerts, through the outbox: the confirmation of a new alert, and the
digests of new fiches (with a one-click unsubscribe, RFC 8058); the scheduled pass sends
the digests that are due and erases the alerts never confirmed."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from profiles_module.alerts import tokens
from profiles_module.alerts.matching import new_fiches
from profiles_module.common.sites import default_site
from profiles_module.conf import app_settings
from profiles_module.models import SearchAlert
from profiles_module.publication.emails import (
    link,
    partner_branding,
    send_email,
    store_email,
    unsubscribe_headers,
)

Frequency = SearchAlert.Frequency
PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# A pass run every hour finds a digest due even if the last one left a few minutes late.
DUE_SLACK = timedelta(hours=1)


def alert_context(alert):
    """What every alert email shows: the site, the partner's colours, the links to see
    the search and to unsubscribe. `link` builds them in the alert's language, into
    the partner's pages when saved there (an alert has a site, a partner and a
    language, as a fiche does)."""
    site = alert.site or default_site()
    return {
        "alert": alert,
        "site_name": (site.site_name if site else "") or "Futurs voisins",
        "map_url": link(alert, "alert_map", tokens.map_token(alert)),
        "unsubscribe_url": link(alert, "alert_unsubscribe", tokens.unsubscribe_token(alert)),
    } | partner_branding(alert)


def queue_alert_email(alert, name, context, now):
    message = store_email(
        alert.profile,
        name,
        recipient=alert.recipient,
        context=context,
        language=alert.language or settings.LANGUAGE_CODE,
        now=now,
        headers=unsubscribe_headers(context["unsubscribe_url"]),
    )
    send_email.enqueue(message.pk)
    return message


def send_confirmation(alert, now=None):
    """The double opt-in: nothing but this email until its link is followed."""
    now = now or timezone.now()
    context = alert_context(alert) | {
        "confirm_url": link(alert, "alert_confirm", tokens.confirm_token(alert)),
        "confirm_days": app_settings.ALERT_CONFIRM_DAYS,
    }
    return queue_alert_email(alert, "alert_confirm", context, now)


def due_alerts(now):
    """Confirmed alerts whose period has passed since their last check (their map page
    still published: an unpublished page's search is suspended, not erased)."""
    due = Q()
    for frequency, period in PERIODS.items():
        due |= Q(frequency=frequency, checked_until__lte=now - period + DUE_SLACK)
    return (
        SearchAlert.objects.filter(confirmed_at__isnull=False, page__live=True)
        .filter(due)
        .select_related("page", "partner", "site", "profile")
        .order_by("pk")
    )


def fiche_summary(fiche, alert):
    """The public fields of a fiche a digest lists, read in the reader's language."""
    return {
        "name": fiche.public_name,
        "kind": str(fiche.get_profile_kind_display()),
        "sectors": [str(sector) for sector in fiche.sectors.all()],
        "url": link(alert, "profile_short", fiche.uid),
    }


def send_digest(alert, now):
    """Queue the digest of the fiches new since the alert's last check, if any, and move
    the check to `now`; returns the number of fiches listed (0: no email).

    The alert is claimed by a conditional UPDATE first: two passes at once never send
    the same digest twice."""
    since = alert.checked_until
    claimed = SearchAlert.objects.filter(pk=alert.pk, checked_until=since).update(checked_until=now)
    if not claimed:
        return 0
    limit = app_settings.ALERT_DIGEST_MAX_FICHES
    found = new_fiches(alert, since, now)
    fiches = list(
        found.prefetch_related("sectors__commune", "sectors__departement", "sectors__region")[
            :limit
        ]
    )
    if not fiches:
        return 0
    total = len(fiches) if len(fiches) < limit else found.count()
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        context = alert_context(alert) | {
            "fiches": [fiche_summary(fiche, alert) for fiche in fiches],
            "count": total,
            "more": total - len(fiches),
        }
    queue_alert_email(alert, "alert_digest", context, now)
    SearchAlert.objects.filter(pk=alert.pk).update(last_sent_at=now)
    return len(fiches)


def send_digests(now=None):
    """Send every due digest; returns how many emails were queued."""
    now = now or timezone.now()
    return sum(1 for alert in due_alerts(now) if send_digest(alert, now))


def erase_unconfirmed_alerts(now=None):
    """Alerts whose address was never confirmed, after ALERT_CONFIRM_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.ALERT_CONFIRM_DAYS)
    deleted, _ = SearchAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
