"""The contact relay (issue 5, first part): write to a household from its profile page.

The message is stored first, then emailed through the outbox and the task queue: to the
recipient with Reply-To set to the sender, and a copy to the sender. No address is
shown on any page; the subject holds no user text but the sender's validated name.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .conf import app_settings
from .emails import render_email, root_url
from .forms import ContactForm
from .models import ContactMessage, OutgoingEmail, Profile, ProfileEvent
from .owner_views import client_ip, current_language, over_limit
from .search import with_public_relations
from .views import profile_page

Event = ProfileEvent.Kind
EMAIL_TEMPLATE = "contact_message"


@require_POST
@never_cache
def contact(request, uid):
    """POST of the contact form of a profile page."""
    queryset = with_public_relations(Profile.objects.public()).select_related("place_commune")
    profile = get_object_or_404(queryset, uid=uid)
    form = ContactForm(request.POST, profile=profile)
    if over_limit(
        "contact-ip", client_ip(request), app_settings.CONTACT_PER_IP_PER_HOUR, window=3600
    ):
        return profile_page(request, profile, contact_form=form, status=429, contact_limited=True)
    if not form.is_valid():
        return profile_page(request, profile, contact_form=form, status=400)
    if not form.is_spam:
        # Counted on valid messages only, so that junk cannot silence a household.
        if over_limit(
            "contact-recipient",
            profile.uid,
            app_settings.CONTACT_PER_RECIPIENT_PER_DAY,
            window=24 * 3600,
        ):
            return profile_page(
                request, profile, contact_form=form, status=429, contact_limited=True
            )
        send_contact_message(
            profile,
            sender_name=form.cleaned_data["sender_name"],
            sender_email=form.cleaned_data["sender_address"],
            body=form.cleaned_data["message"],
            sender_language=current_language(),
        )
    # A bot that filled the honeypot sees the same page as a person.
    return redirect(profile.get_absolute_url() + "?contact=sent#contact")


def send_contact_message(profile, *, sender_name, sender_email, body, sender_language, now=None):
    """Store a message, queue the recipient's email (Reply-To: the sender) and the
    sender's copy, and log the event on the recipient's fiche. Returns the message."""
    from .tasks import send_email

    now = now or timezone.now()
    with transaction.atomic():
        message = ContactMessage.objects.create(
            recipient=profile,
            recipient_uid=profile.uid,
            sender_name=sender_name,
            sender_email=sender_email,
            body=body,
            created_at=now,
        )
        context = {
            "profile": profile,
            "sender_name": sender_name,
            "body": body,
            "site_name": site_name(profile),
            "profile_url": root_url(profile) + profile.get_absolute_url(),
        }
        to_recipient = _store_email(
            profile,
            recipient=profile.email,
            reply_to=sender_email,
            context=context | {"copy": False},
            language=profile.language or settings.LANGUAGE_CODE,
            now=now,
        )
        # The copy is not linked to the recipient's profile: it is the sender's email.
        copy = _store_email(
            None,
            recipient=sender_email,
            reply_to="",
            context=context | {"copy": True},
            language=sender_language,
            now=now,
        )
        message.email = to_recipient
        message.save(update_fields=["email"])
        ProfileEvent.record(profile, Event.CONTACT_RECEIVED, f"#{message.pk}", now=now)
        ProfileEvent.record(
            profile, Event.EMAIL_QUEUED, f"{EMAIL_TEMPLATE} #{to_recipient.pk}", now=now
        )
    # Enqueued once stored: a worker never looks for a row that is not committed yet.
    send_email.enqueue(to_recipient.pk)
    send_email.enqueue(copy.pk)
    return message


def _store_email(profile, *, recipient, reply_to, context, language, now):
    subject, text, html = render_email(EMAIL_TEMPLATE, context, language)
    return OutgoingEmail.objects.create(
        profile=profile,
        template=EMAIL_TEMPLATE,
        recipient=recipient,
        reply_to=reply_to,
        subject=subject,
        text_body=text,
        html_body=html,
        created_at=now,
        next_attempt_at=now,
    )


def site_name(profile):
    from wagtail.models import Site

    site = profile.site or Site.objects.filter(is_default_site=True).first()
    return (site.site_name if site else "") or "Futurs voisins"
