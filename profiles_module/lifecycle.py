"""What happens to a profile from submission to erasure.

Every function takes `now`, so tests travel in time by passing it. "Publicly visible"
stays `live=True`: pausing, hiding and moderation all keep or make the profile not live.
"""

import calendar
from collections import Counter
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import tokens
from .conf import app_settings
from .emails import link, purge_outbox, queue_email, retry_due
from .models import (
    AbuseReport,
    ContactMessage,
    LifecycleSettings,
    OutgoingEmail,
    Profile,
    ProfileEvent,
)
from .models.profiles import HiddenReason

Event = ProfileEvent.Kind


# --- settings and helpers


def default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first()


def settings_for(profile_or_site=None):
    """The lifecycle settings of a profile's site (or of a site; default site otherwise)."""
    site = getattr(profile_or_site, "site", profile_or_site) or default_site()
    if site is None:
        return LifecycleSettings()
    return LifecycleSettings.for_site(site)


def profiles_of_site(site):
    """Profiles ruled by a site's settings: its own, plus those without a site for the
    default site (profiles made in the admin or by seed_demo)."""
    match = Q(site=site)
    if site.is_default_site:
        match |= Q(site__isnull=True)
    return Profile.objects.filter(match)


def months_before(now, months):
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def months_after(moment, months):
    """The same day `months` calendar months later (clamped to the month's end)."""
    return months_before(moment, -months)


def find_existing(email, site):
    """The profile already registered with this address on this site, if any."""
    if site is None:
        return Profile.objects.filter(email__iexact=email).first()
    return profiles_of_site(site).filter(email__iexact=email).order_by("pk").first()


# --- publication


def submit(profile, *, site, language, news_consent, now=None):
    """Store a fiche sent by the public form as a draft and email the confirmation link.

    `profile` comes unsaved from the form, with its sectors in memory.
    """
    now = now or timezone.now()
    profile.live = False
    profile.awaiting_confirmation = True
    profile.site = site
    profile.language = language
    profile.publication_consent_at = now
    profile.news_consent = news_consent
    profile.news_consent_at = now if news_consent else None
    # All or nothing: a write failing midway (a sector, the outbox) must not leave a
    # draft without its sectors or its confirmation email. The email's task is enqueued
    # last, inside the block: production's queue is a table, so the task commits or rolls
    # back with the fiche. (transaction.on_commit would never run in the tests' transaction.)
    with transaction.atomic():
        profile.save()
        profile.save_revision()
        ProfileEvent.record(profile, Event.SUBMITTED, now=now)
        raw = tokens.issue(profile, tokens.Purpose.CONFIRM, now=now)
        queue_email(
            profile, "confirm", context={"confirm_url": link(profile, "confirm", raw)}, now=now
        )
    return profile


def submit_duplicate(existing, now=None):
    """A second fiche with a registered address: send that address a management link."""
    now = now or timezone.now()
    ProfileEvent.record(existing, Event.DUPLICATE, now=now)
    if existing.awaiting_confirmation:
        return resend_confirmation(existing, now=now)
    return queue_email(existing, "already_registered", now=now)


def resend_confirmation(profile, now=None):
    raw = tokens.issue(profile, tokens.Purpose.CONFIRM, now=now)
    return queue_email(
        profile, "confirm", context={"confirm_url": link(profile, "confirm", raw)}, now=now
    )


def confirm_email(profile, now=None):
    """The owner followed the confirmation link: publish, or submit to moderation."""
    now = now or timezone.now()
    if not profile.awaiting_confirmation:
        return profile
    Profile.objects.filter(pk=profile.pk).update(
        awaiting_confirmation=False, email_confirmed_at=now, last_confirmed_at=now
    )
    profile.refresh_from_db()
    ProfileEvent.record(profile, Event.CONFIRMED, now=now)
    go_public(profile, now=now)
    return profile


def go_public(profile, now=None):
    """Publish the latest version, or submit it to moderation when the site wants it."""
    now = now or timezone.now()
    if profile.paused or profile.awaiting_confirmation:
        return
    revision = profile.latest_revision or profile.save_revision()
    if settings_for(profile).moderation_before_publication:
        if profile.workflow_in_progress:
            return
        workflow = profile.get_workflow()
        if workflow is None:
            # Moderation wanted but no workflow assigned: wait for an editor to publish.
            ProfileEvent.record(
                profile, Event.SUBMITTED_FOR_MODERATION, "no workflow assigned", now=now
            )
            return
        workflow.start(profile, user=None)
        ProfileEvent.record(profile, Event.SUBMITTED_FOR_MODERATION, workflow.name, now=now)
        return
    revision.publish(changed=False)
    ProfileEvent.record(profile, Event.PUBLISHED, now=now)


def notify_moderation_result(workflow_state, approved):
    """Tell the owner the moderators' decision (workflow_approved/rejected signals)."""
    profile = workflow_state.content_object
    if not isinstance(profile, Profile):
        return
    ProfileEvent.record(profile, Event.APPROVED if approved else Event.REJECTED)
    queue_email(profile, "moderation_approved" if approved else "moderation_rejected")


# --- the owner's actions


def mark_still_looking(profile, now=None, kind=Event.STILL_LOOKING):
    """The owner is still looking: restart the clock, and show the profile again if
    it was hidden for staleness."""
    now = now or timezone.now()
    was_hidden = profile.hidden_reason == HiddenReason.STALE
    Profile.objects.filter(pk=profile.pk).update(
        last_confirmed_at=now, reminders_sent=0, erasure_warned_at=None, hidden_reason=""
    )
    profile.refresh_from_db()
    if kind:
        ProfileEvent.record(profile, kind, now=now)
    if was_hidden and not profile.live:
        go_public(profile, now=now)


def save_owner_edit(profile, now=None):
    """Store an edit from the owner's form (`profile` with the form's changes, unsaved)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not profile.live:
            profile.save()
            profile.save_revision()
        else:
            revision = profile.save_revision()
            if settings_for(profile).moderation_before_publication:
                ProfileEvent.record(profile, Event.EDITED, now=now)
                go_public_after_edit(profile, now)
                mark_still_looking(profile, now, kind=None)
                return
            revision.publish()
        ProfileEvent.record(profile, Event.EDITED, now=now)
        mark_still_looking(profile, now, kind=None)


def go_public_after_edit(profile, now):
    """A live profile edited on a moderated site: the live version stays until approved."""
    workflow = profile.get_workflow()
    if workflow is not None and not profile.workflow_in_progress:
        workflow.start(profile, user=None)
        ProfileEvent.record(profile, Event.SUBMITTED_FOR_MODERATION, workflow.name, now=now)


def pause(profile, now=None):
    now = now or timezone.now()
    Profile.objects.filter(pk=profile.pk).update(paused=True)
    profile.refresh_from_db()
    if profile.live:
        profile.unpublish(log_action=False)
    ProfileEvent.record(profile, Event.PAUSED, now=now)


def resume(profile, now=None):
    now = now or timezone.now()
    Profile.objects.filter(pk=profile.pk).update(paused=False)
    profile.refresh_from_db()
    ProfileEvent.record(profile, Event.RESUMED, now=now)
    mark_still_looking(profile, now, kind=None)
    if not profile.live and not profile.hidden_reason:
        go_public(profile, now=now)


def request_email_change(profile, new_email, now=None):
    """Send a confirmation link to the new address; nothing changes until it is used."""
    now = now or timezone.now()
    raw = tokens.issue(profile, tokens.Purpose.CHANGE_EMAIL, new_email=new_email, now=now)
    ProfileEvent.record(profile, Event.EMAIL_CHANGE_REQUESTED, now=now)
    return queue_email(
        profile,
        "email_change",
        recipient=new_email,
        context={"confirm_url": link(profile, "confirm_email_change", raw)},
        now=now,
    )


def change_email(token, now=None):
    """Switch to the confirmed new address, in the profile and in all its revisions
    (so the old address is kept nowhere and no older revision brings it back)."""
    from wagtail.models import Revision

    now = now or timezone.now()
    profile = token.profile
    new_email = token.new_email
    with transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(email=new_email)
        for revision in Revision.objects.for_instance(profile):
            revision.content["email"] = new_email
            revision.save(update_fields=["content"])
        token.new_email = ""
        token.save(update_fields=["new_email"])
    profile.refresh_from_db()
    ProfileEvent.record(profile, Event.EMAIL_CHANGED, now=now)
    return profile


def send_new_link(email, site, now=None):
    """ "Send me a new link": the profile registered with this address (if any) gets a
    management link (or a new confirmation link when not confirmed yet)."""
    profile = find_existing(email, site)
    if profile is None:
        return None
    ProfileEvent.record(profile, Event.LINK_REQUESTED, now=now)
    if profile.awaiting_confirmation:
        return resend_confirmation(profile, now=now)
    return queue_email(profile, "manage_link", now=now)


def request_update(profile, now=None):
    """Editors' "ask to update": at most once per interval per profile. Returns the
    queued message, or None when skipped."""
    now = now or timezone.now()
    if profile.awaiting_confirmation:
        return None
    interval = timedelta(days=settings_for(profile).update_request_interval_days)
    claimed = (
        Profile.objects.filter(pk=profile.pk)
        .filter(Q(update_requested_at__isnull=True) | Q(update_requested_at__lte=now - interval))
        .update(update_requested_at=now)
    )
    if not claimed:
        return None
    ProfileEvent.record(profile, Event.UPDATE_REQUESTED, now=now)
    return queue_email(profile, "update_request", now=now)


# --- erasure


def erase(profile, reason, now=None):
    """Erase a profile and every trace of its personal data (see scrub_profile_traces)."""
    ProfileEvent.record(profile, Event.ERASED, reason, now=now)
    with transaction.atomic():
        profile.delete()


def scrub_profile_traces(sender, instance, **kwargs):
    """post_delete of Profile, whoever deletes it (owner, lifecycle, editor): remove
    what Wagtail keeps beside the row — revisions (they hold the whole fiche, email
    included), workflow states, log entries (they hold the public name), references,
    the search index entry — and the photo file."""
    from modelsearch.index import remove_object
    from wagtail.models import ModelLogEntry, ReferenceIndex, Revision, WorkflowState

    content_type = ContentType.objects.get_for_model(Profile)
    object_id = str(instance.pk)
    WorkflowState.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    ModelLogEntry.objects.filter(content_type=content_type, object_id=object_id).delete()
    Revision.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    ReferenceIndex.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    try:
        from wagtail.admin.models import EditingSession

        EditingSession.objects.filter(content_type=content_type, object_id=object_id).delete()
    except ImportError:  # pragma: no cover
        pass
    # Contact safety: the block list goes with the profile (on_delete=CASCADE); the
    # comments of the abuse reports the household made are its own words.
    AbuseReport.objects.filter(message__recipient_uid=instance.uid).exclude(comment="").update(
        comment=""
    )
    remove_object(instance)
    if instance.photo:
        instance.photo.delete(save=False)


# --- the scheduled lifecycle


def run(now=None):
    """One pass of the lifecycle over every site; idempotent. Returns what it did."""
    from wagtail.models import Site

    now = now or timezone.now()
    done = Counter()
    for site in Site.objects.all():
        run_for_site(site, now, done)
    # Before the retries: an email whose message text is erased is abandoned, not sent.
    done["contact_bodies_erased"] = erase_contact_bodies(now)
    done["emails_enqueued"] = retry_due(now)
    done["outbox_purged"] = purge_outbox(now)
    done["contact_unverified_erased"] = erase_unverified_contacts(now)
    return dict(done)


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
    erased = ContactMessage.objects.filter(
        created_at__lt=cutoff, body_erased_at__isnull=True
    ).update(body="", body_erased_at=now)
    Email = OutgoingEmail.Status
    stale = (
        OutgoingEmail.objects.filter(
            Q(contact_messages__created_at__lt=cutoff) | Q(contact_copies__created_at__lt=cutoff)
        )
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
                    Event.EMAIL_FAILED,
                    f"{email.template} #{email.pk}: message erased before sending",
                    now=now,
                )
    return erased


def run_for_site(site, now, done):
    conf = LifecycleSettings.for_site(site)
    profiles = profiles_of_site(site)

    for profile in profiles.filter(
        awaiting_confirmation=True, created_at__lt=now - timedelta(days=conf.unconfirmed_days)
    ):
        erase(profile, "unconfirmed", now=now)
        done["erased_unconfirmed"] += 1

    confirmed = profiles.filter(awaiting_confirmation=False).alias(
        activity=Coalesce("last_confirmed_at", "created_at")
    )
    erase_before = months_before(now, conf.erase_months)
    warning = timedelta(days=conf.erase_warning_days)

    # The warning went out at least `warning` ago: erase.
    for profile in confirmed.filter(
        activity__lte=erase_before, erasure_warned_at__lte=now - warning
    ):
        erase(profile, "inactive", now=now)
        done["erased_inactive"] += 1

    # Each profile gets only its most advanced step: one that was never reminded (the
    # lifecycle was just switched on, or the cron stopped) is not sent every email at once.
    for profile in confirmed.filter(
        activity__lte=erase_before + warning, erasure_warned_at__isnull=True
    ):
        Profile.objects.filter(pk=profile.pk).update(
            erasure_warned_at=now, reminders_sent=2, hidden_reason=HiddenReason.STALE
        )
        profile.refresh_from_db()
        if profile.live:
            profile.unpublish(log_action=False)
        ProfileEvent.record(profile, Event.ERASURE_WARNED, now=now)
        queue_email(
            profile,
            "erasure_warning",
            context={"erase_on": now + warning},
            now=now,
        )
        done["erasure_warned"] += 1

    for profile in confirmed.filter(
        activity__lte=months_before(now, conf.hide_months), hidden_reason=""
    ):
        Profile.objects.filter(pk=profile.pk).update(
            hidden_reason=HiddenReason.STALE, reminders_sent=2
        )
        profile.refresh_from_db()
        if profile.live:
            profile.unpublish(log_action=False)
        ProfileEvent.record(profile, Event.HIDDEN, "stale", now=now)
        queue_email(profile, "hidden", now=now)
        done["hidden"] += 1

    for stage, months in ((2, conf.second_reminder_months), (1, conf.first_reminder_months)):
        for profile in confirmed.filter(
            activity__lte=months_before(now, months), reminders_sent__lt=stage, hidden_reason=""
        ):
            Profile.objects.filter(pk=profile.pk).update(reminders_sent=stage)
            ProfileEvent.record(profile, Event.REMINDED, f"reminder {stage}", now=now)
            queue_email(profile, "reminder", context={"stage": stage}, now=now)
            done[f"reminder_{stage}"] += 1
