"""What happens to a profile from submission to erasure.

Every function takes `now`, so tests travel in time by passing it. "Publicly visible"
stays `live=True`: pausing, hiding and moderation all keep or make the profile not live.
"""

import calendar
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone
from modelsearch.index import remove_object
from wagtail.admin.models import EditingSession
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision, WorkflowState

from profiles_module.common.sites import default_site
from profiles_module.common.versions import SEARCHED_FICHES
from profiles_module.models import (
    AbuseReport,
    LifecycleSettings,
    Profile,
    ProfileEvent,
)
from profiles_module.models.profiles import HiddenReason
from profiles_module.publication import tokens
from profiles_module.publication.emails import link, queue_email

Event = ProfileEvent.Kind


# --- settings and helpers


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
    SEARCHED_FICHES.forget()  # "confirmed within N months" counts it now
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
    SEARCHED_FICHES.forget()  # "confirmed within N months" counts it now
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

    content_type = ContentType.objects.get_for_model(Profile)
    object_id = str(instance.pk)
    WorkflowState.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    ModelLogEntry.objects.filter(content_type=content_type, object_id=object_id).delete()
    Revision.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    ReferenceIndex.objects.filter(base_content_type=content_type, object_id=object_id).delete()
    EditingSession.objects.filter(content_type=content_type, object_id=object_id).delete()
    # Contact safety: the block list goes with the profile (on_delete=CASCADE); the
    # comments of the abuse reports the household made are its own words.
    AbuseReport.objects.filter(message__recipient_uid=instance.uid).exclude(comment="").update(
        comment=""
    )
    remove_object(instance)
    if instance.photo:
        instance.photo.delete(save=False)


# --- the scheduled lifecycle


def run_for_site(site, now, done):
    """Every stage of the lifecycle for the fiches ruled by a site's settings, most
    advanced first, so each fiche gets only its most advanced step: one never reminded
    (the lifecycle was just switched on, or the scheduler stopped) is not sent every
    email at once. Counts what each stage did in `done`."""
    conf = LifecycleSettings.for_site(site)
    profiles = profiles_of_site(site)
    done["erased_unconfirmed"] += erase_unconfirmed(profiles, conf, now)
    confirmed = profiles.filter(awaiting_confirmation=False).alias(
        activity=Coalesce("last_confirmed_at", "created_at")
    )
    done["erased_inactive"] += erase_inactive(confirmed, conf, now)
    done["erasure_warned"] += warn_of_erasure(confirmed, conf, now)
    done["hidden"] += hide_stale(confirmed, conf, now)
    for stage, months in ((2, conf.second_reminder_months), (1, conf.first_reminder_months)):
        done[f"reminder_{stage}"] += remind(confirmed, stage, months, now)


def erase_unconfirmed(profiles, conf, now):
    """Drafts whose address was never confirmed, after `unconfirmed_days`."""
    count = 0
    for profile in profiles.filter(
        awaiting_confirmation=True, created_at__lt=now - timedelta(days=conf.unconfirmed_days)
    ):
        erase(profile, "unconfirmed", now=now)
        count += 1
    return count


def erase_inactive(confirmed, conf, now):
    """Fiches silent for `erase_months`, warned at least `erase_warning_days` ago."""
    count = 0
    for profile in confirmed.filter(
        activity__lte=months_before(now, conf.erase_months),
        erasure_warned_at__lte=now - timedelta(days=conf.erase_warning_days),
    ):
        erase(profile, "inactive", now=now)
        count += 1
    return count


def warn_of_erasure(confirmed, conf, now):
    """Fiches to be erased in `erase_warning_days`: hidden, and their owner warned."""
    warning = timedelta(days=conf.erase_warning_days)
    count = 0
    for profile in confirmed.filter(
        activity__lte=months_before(now, conf.erase_months) + warning,
        erasure_warned_at__isnull=True,
    ):
        Profile.objects.filter(pk=profile.pk).update(
            erasure_warned_at=now, reminders_sent=2, hidden_reason=HiddenReason.STALE
        )
        profile.refresh_from_db()
        if profile.live:
            profile.unpublish(log_action=False)
        ProfileEvent.record(profile, Event.ERASURE_WARNED, now=now)
        queue_email(profile, "erasure_warning", context={"erase_on": now + warning}, now=now)
        count += 1
    return count


def hide_stale(confirmed, conf, now):
    """Fiches silent for `hide_months`: hidden from the public, their owner told."""
    count = 0
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
        count += 1
    return count


def remind(confirmed, stage, months, now):
    """The `stage`-th reminder (1 or 2) to fiches silent for `months`."""
    count = 0
    for profile in confirmed.filter(
        activity__lte=months_before(now, months), reminders_sent__lt=stage, hidden_reason=""
    ):
        Profile.objects.filter(pk=profile.pk).update(reminders_sent=stage)
        ProfileEvent.record(profile, Event.REMINDED, f"reminder {stage}", now=now)
        queue_email(profile, "reminder", context={"stage": stage}, now=now)
        count += 1
    return count


@task
def request_updates(profile_ids, user_id=None):
    """The admin bulk action "ask to update", sent from the queue."""
    sent = 0
    for profile in Profile.objects.filter(pk__in=profile_ids):
        sent += bool(request_update(profile))
    return sent
