"""Emails to owners: rendered from templates, stored in the outbox, sent by a task.

Templates follow Wagtail's notifications: `profiles_module/emails/<name>_subject.txt`,
`<name>.txt` and `<name>.html`; a host site overrides any of them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.tasks import task, task_backends
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation

from profiles_module.common.sites import default_site
from profiles_module.conf import app_settings
from profiles_module.models import ContactMessage, OutgoingEmail, ProfileEvent
from profiles_module.partners.embed import embed_prefix
from profiles_module.publication import tokens

Event = ProfileEvent.Kind


def root_url(profile):
    """Base of the links in a profile's emails: its site's, else the default site's."""

    site = profile.site or default_site()
    if site is not None:
        return site.root_url
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "")


def partner_frame(profile):
    """The partner whose embedded pages the fiche was published through (not on its own
    Site, whose hostname root_url gives already), or None."""
    partner = profile.partner
    if partner is None or (partner.site_id and partner.site_id == profile.site_id):
        return None
    return partner


def link(profile, name, *args, query=""):
    """An absolute link of a profile's email. A fiche published in a partner's frame gets
    links into that partner's pages (its layout, its territory), whether the email is sent
    during the request or months later by the lifecycle: the script prefix of the moment
    (an embedded request's) is replaced by the fiche's own, and the language of the
    moment by the owner's."""

    partner = partner_frame(profile)
    current = get_script_prefix()
    set_script_prefix("/" + embed_prefix(partner) if partner else "/")
    try:
        # In the owner's language: /en/… for a fiche published in English.
        with translation.override(profile.language or settings.LANGUAGE_CODE):
            path = reverse(f"profiles_module:{name}", args=args)
    finally:
        set_script_prefix(current)
    return root_url(profile) + path + query


def partner_branding(profile):
    """The partner's name, colour and logo for the emails of a fiche attributed to it."""
    partner = profile.partner
    if partner is None:
        return {}
    logo_url = ""
    if partner.logo is not None:
        logo_url = partner.logo.get_rendition("height-48").url
        if logo_url.startswith("/"):  # media on this site: emails need absolute URLs
            logo_url = root_url(profile) + logo_url
    return {"partner": partner, "partner_logo_url": logo_url, "link_colour": partner.colour}


def render_email(name, context, language):
    """(subject, text, html) of the email `name`, in `language`."""
    context = {"link_colour": app_settings.EMAIL_LINK_COLOUR} | context
    with translation.override(language):
        subject = render_to_string(f"profiles_module/emails/{name}_subject.txt", context)
        text = render_to_string(f"profiles_module/emails/{name}.txt", context)
        html = render_to_string(f"profiles_module/emails/{name}.html", context)
    # A subject is one line, whatever the template or the public name hold.
    subject = " ".join(subject.split())[:255]
    return subject, text, html


def get_email_context(profile, name, now):
    """Extension point: the context of every owner email. Each carries a fresh
    management link; reminders also a one-click "still looking" link."""

    raw = tokens.issue(profile, tokens.Purpose.MANAGE, now=now)
    site = profile.site or default_site()
    return {
        "profile": profile,
        "site_name": (site.site_name if site else "") or "Futurs voisins",
        "manage_url": link(profile, "owner_link", raw),
        "still_looking_url": link(profile, "owner_link", raw, query="?action=still-looking"),
        "manage_link_days": app_settings.MANAGE_LINK_DAYS,
    } | partner_branding(profile)


def store_email(profile, name, *, recipient, context, language, now, reply_to="", headers=None):
    """Render an email in `language` and store it in the outbox, ready to be sent."""
    subject, text, html = render_email(name, context, language)
    return OutgoingEmail.objects.create(
        profile=profile,
        template=name,
        recipient=recipient,
        reply_to=reply_to,
        subject=subject,
        text_body=text,
        html_body=html,
        headers=headers or {},
        created_at=now,
        next_attempt_at=now,
    )


def queue_email(profile, name, *, recipient=None, context=None, now=None, headers=None):
    """Store an owner email in the outbox, log it and enqueue its sending."""
    now = now or timezone.now()
    full_context = get_email_context(profile, name, now) | (context or {})
    message = store_email(
        profile,
        name,
        recipient=recipient or profile.email,
        context=full_context,
        language=profile.language or settings.LANGUAGE_CODE,
        now=now,
        headers=headers,
    )
    ProfileEvent.record(profile, Event.EMAIL_QUEUED, f"{name} #{message.pk}", now=now)
    send_email.enqueue(message.pk)
    return message


def retry_delay(attempts):
    """Exponential backoff: 1 min, 2 min, 4 min… capped (6 h by default)."""
    base = app_settings.EMAIL_RETRY_DELAY_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), app_settings.EMAIL_RETRY_MAX_DELAY_SECONDS)
    )


def deliver(message_id):
    """Send one outbox message, at most once.

    The message is claimed by a conditional UPDATE (pending → sending), atomic on every
    database, so two workers never send it both. On failure it goes back to pending
    with a later `next_attempt_at`; `run_lifecycle` (or the queue, when the backend can
    defer tasks) tries again.
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=message_id, status=OutgoingEmail.Status.PENDING)
    if not claimed.update(
        status=OutgoingEmail.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    ):
        return "skipped"
    message = OutgoingEmail.objects.select_related("profile").get(pk=message_id)
    email = EmailMultiAlternatives(
        message.subject,
        message.text_body,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=message.headers or None,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    try:
        email.send()
    except Exception as error:  # noqa: BLE001  (any provider error: retry later)
        return _failed(message, error, now)
    message.status = OutgoingEmail.Status.SENT
    message.sent_at = now
    # The bodies hold a live link; the recipient stays until OUTBOX_RETENTION_DAYS.
    message.text_body = message.html_body = ""
    message.headers = {}
    message.reply_to = ""
    message.last_error = ""
    message.save()
    _contact_status(message, "sent")
    if message.profile:
        ProfileEvent.record(message.profile, Event.EMAIL_SENT, f"{message.template} #{message.pk}")
    return "sent"


def unsubscribe_headers(url):
    """The headers of a periodic email's one-click unsubscribe (RFC 8058): the mail client
    POSTs "List-Unsubscribe=One-Click" to the URL, with no page (an address the app built
    with reverse(): no line break can get in)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _failed(message, error, now):
    # Provider errors often quote the address: keep it out of the logs.
    text = f"{type(error).__name__}: {error}".replace(message.recipient, "<recipient>")[:200]
    message.last_error = text
    if message.attempts >= app_settings.EMAIL_MAX_ATTEMPTS:
        message.status = OutgoingEmail.Status.FAILED
        message.reply_to = ""
        message.headers = {}
        kind = Event.EMAIL_FAILED
        _contact_status(message, "failed")
    else:
        message.status = OutgoingEmail.Status.PENDING
        message.next_attempt_at = now + retry_delay(message.attempts)
        kind = Event.EMAIL_RETRY
    message.save()
    if message.profile:
        ProfileEvent.record(
            message.profile,
            kind,
            f"{message.template} #{message.pk}, attempt {message.attempts}: {text}",
        )
    if kind == Event.EMAIL_RETRY and task_backends[send_email.backend].supports_defer:
        send_email.using(run_after=message.next_attempt_at).enqueue(message.pk)
    return "failed"


def _contact_status(message, status):
    """The contact relay: a message is sent (or abandoned) with its recipient's email."""
    ContactMessage.objects.filter(email=message).update(status=status)


def retry_due(now=None):
    """Enqueue pending messages that are due, and release messages stuck in "sending"
    (a worker that died mid-send). Returns how many were enqueued."""
    now = now or timezone.now()
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=now - timedelta(hours=1)
    ).update(status=OutgoingEmail.Status.PENDING)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        send_email.enqueue(pk)
    return len(due)


def purge_outbox(now=None):
    """Delete sent and abandoned messages older than OUTBOX_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted


@task
def send_email(message_id):
    """Send one message of the outbox (retries are scheduled by `emails.deliver`)."""
    return deliver(message_id)
