"""What the contact relay forgets, and when: unconfirmed messages, then every message's
text, then its sender's address and name, and abuse reports' comments; when and to whom
stays for the statistics."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from profiles_module.conf import app_settings
from profiles_module.models.contact import AbuseReport, ContactMessage
from profiles_module.models.publication import OutgoingEmail, ProfileEvent


def erase_unverified_contacts(now=None):
    """Erase messages whose sender did not confirm their address within
    CONTACT_VERIFY_DAYS: they were never delivered, so nothing is kept."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.CONTACT_VERIFY_DAYS)
    deleted, _ = ContactMessage.objects.filter(
        status=ContactMessage.Status.AWAITING_VERIFICATION, created_at__lt=cutoff
    ).delete()
    return deleted


def erase_contact_bodies(now=None):
    """Erase the text of contact messages older than CONTACT_BODY_DAYS; who wrote to
    whom, when and the status stay for history and statistics. Returns how many.

    Their emails in the outbox (the recipient's and the sender's copy) hold the text
    too, and lose it as well. One still waiting to be sent (pending, or retrying after
    provider errors) is abandoned rather than sent empty, and its message marked
    "failed". One being sent at this very moment is left to its worker: sent, its body
    is erased anyway; failed, the next pass abandons it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.CONTACT_BODY_DAYS)
    return erase_texts(ContactMessage.objects.filter(created_at__lt=cutoff), now)


def forget_senders(now=None):
    """Blank the sender's address and name of messages older than CONTACT_SENDER_DAYS:
    long enough for the recipient's block list and abuse reports, which need to know
    who wrote. Returns how many messages forgot their sender."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.CONTACT_SENDER_DAYS)
    return (
        ContactMessage.objects.filter(created_at__lt=cutoff)
        .exclude(sender_email="", sender_name="")
        .update(sender_email="", sender_name="")
    )


def erase_report_comments(now=None):
    """Blank the reporter's comment of abuse reports older than ABUSE_REPORT_COMMENT_DAYS;
    the report itself (when, its status) stays. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=app_settings.ABUSE_REPORT_COMMENT_DAYS)
    return AbuseReport.objects.filter(created_at__lt=cutoff).exclude(comment="").update(comment="")


def erase_texts(messages, now):
    """Erase the text of these contact messages and of their emails in the outbox (see
    erase_contact_bodies); returns how many messages lost their text."""
    erased = messages.filter(body_erased_at__isnull=True).update(body="", body_erased_at=now)
    pks = messages.values("pk")
    Email = OutgoingEmail.Status
    stale = (
        OutgoingEmail.objects.filter(Q(contact_messages__in=pks) | Q(contact_copies__in=pks))
        .exclude(text_body="", html_body="")
        .exclude(status=Email.SENDING)
        .values_list("pk", flat=True)
        .distinct()
    )
    for email in OutgoingEmail.objects.filter(pk__in=list(stale)).select_related("profile"):
        blank = {"text_body": "", "html_body": "", "reply_to": ""}
        if email.status != Email.PENDING:
            OutgoingEmail.objects.filter(pk=email.pk).exclude(status=Email.SENDING).update(**blank)
            continue
        # Claimed like a worker claims it: one that a worker took meanwhile is left alone.
        abandoned = OutgoingEmail.objects.filter(pk=email.pk, status=Email.PENDING).update(
            status=Email.FAILED, last_error="contact message erased before sending", **blank
        )
        if abandoned:
            ContactMessage.objects.filter(email=email, status=ContactMessage.Status.PENDING).update(
                status=ContactMessage.Status.FAILED
            )
            if email.profile is not None:
                ProfileEvent.record(
                    email.profile,
                    ProfileEvent.Kind.EMAIL_FAILED,
                    f"{email.template} #{email.pk}: message erased before sending",
                    now=now,
                )
    return erased


def forget_household(sender, instance, **kwargs):
    """post_delete of Profile (whoever deletes it): the household's words and address
    leave with it at once, not at the next purge. The messages it received and wrote
    lose their text (and their emails in the outbox theirs), its address and name as a
    sender are blanked, and the outbox forgets what was addressed to it; who wrote when,
    and in which territory, stays for the statistics."""
    now = timezone.now()
    address = Q(sender_email__iexact=instance.email) if instance.email else Q(pk__in=[])
    erase_texts(ContactMessage.objects.filter(Q(recipient_uid=instance.uid) | address), now)
    sent = ContactMessage.objects.filter(address)
    # The subject of a relayed message names its sender.
    OutgoingEmail.objects.filter(
        Q(contact_messages__in=sent.values("pk")) | Q(contact_copies__in=sent.values("pk"))
    ).update(subject="")
    sent.update(sender_email="", sender_name="")
    if instance.email:
        OutgoingEmail.objects.filter(recipient__iexact=instance.email).delete()
        OutgoingEmail.objects.filter(reply_to__iexact=instance.email).update(reply_to="")
