"""The lifecycle in time-travel: reminders, hiding, erasure; the outbox; the bulk action;
and after erasure, no table holds the profile's personal data."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from profiles_module import schedule
from profiles_module.models import (
    AccessToken,
    LifecycleSettings,
    OutgoingEmail,
    Profile,
    ProfileEvent,
    SuggestionEmails,
)
from profiles_module.publication import lifecycle
from profiles_module.publication.emails import retry_delay
from tests.factories import make_profile
from tests.helpers import assert_no_trace

pytestmark = pytest.mark.django_db

EMAIL = "lifecycle-owner@example.org"
NAME = "Zéphyrine"
DAY = timedelta(days=1)


def owner_profile(start, **fields):
    """A confirmed, published profile whose last confirmation was at `start`."""
    profile = make_profile(email=EMAIL, public_name=NAME, **fields)
    profile.save_revision().publish()
    Profile.objects.filter(pk=profile.pk).update(
        created_at=start, last_confirmed_at=start, email_confirmed_at=start
    )
    profile.refresh_from_db()
    return profile


def subjects():
    return [message.subject for message in mail.outbox if message.to == [EMAIL]]


def kinds(profile):
    return list(
        ProfileEvent.objects.filter(profile_uid=profile.uid)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    )


def test_whole_lifecycle_reminds_hides_warns_then_erases():
    start = timezone.now() - timedelta(days=800)
    profile = owner_profile(start)

    schedule.run(now=start + 30 * DAY)
    assert subjects() == []

    schedule.run(now=lifecycle.months_after(start, 6) + DAY)
    assert len(subjects()) == 1  # first reminder
    schedule.run(now=lifecycle.months_after(start, 6) + 2 * DAY)
    assert len(subjects()) == 1  # idempotent
    assert Profile.objects.get(pk=profile.pk).reminders_sent == 1

    schedule.run(now=lifecycle.months_after(start, 11) + DAY)
    assert len(subjects()) == 2  # second reminder
    assert Profile.objects.get(pk=profile.pk).live is True

    schedule.run(now=lifecycle.months_after(start, 12) + DAY)
    profile.refresh_from_db()
    assert profile.live is False and profile.hidden_reason == "stale"
    assert Profile.objects.public().filter(pk=profile.pk).exists() is False
    assert len(subjects()) == 3  # "your profile is hidden"

    warn_at = lifecycle.months_after(start, 24) - 30 * DAY
    schedule.run(now=warn_at - DAY)
    assert len(subjects()) == 3
    schedule.run(now=warn_at + DAY)
    assert len(subjects()) == 4  # erasure warning
    schedule.run(now=warn_at + 10 * DAY)
    assert Profile.objects.filter(pk=profile.pk).exists()
    assert len(subjects()) == 4

    schedule.run(now=lifecycle.months_after(start, 24) + 2 * DAY)
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert "erased" in kinds(profile)
    for kind in ("reminded", "hidden", "erasure_warned", "email_sent"):
        assert kind in kinds(profile)
    # Every email carried the management link.
    assert all("/lien/" in m.body for m in mail.outbox if m.to == [EMAIL])
    assert_no_trace(EMAIL, NAME)


def test_still_looking_from_a_reminder_restarts_the_clock_and_unhides(client):
    start = timezone.now() - timedelta(days=370)
    profile = owner_profile(start)
    schedule.run(now=lifecycle.months_after(start, 12) + DAY)
    profile.refresh_from_db()
    assert profile.live is False
    reminder = mail.outbox[-1]
    url = next(u for u in re.findall(r"https?://\S+", reminder.body) if "still-looking" in u)
    path = re.sub(r"^https?://[^/]+", "", url)
    assert client.get(path).status_code == 200
    assert Profile.objects.get(pk=profile.pk).live is False  # GET spends nothing
    response = client.post(path)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.live is True
    assert profile.hidden_reason == "" and profile.reminders_sent == 0
    assert profile.last_confirmed_at > start + timedelta(days=300)


def test_a_long_forgotten_profile_gets_only_its_latest_step():
    start = timezone.now() - timedelta(days=800)
    owner_profile(start)
    schedule.run(now=lifecycle.months_after(start, 13))
    assert len(subjects()) == 1  # hidden, without two reminders first


def test_unconfirmed_drafts_are_erased_after_the_delay():
    now = timezone.now()
    draft = make_profile(email=EMAIL, public_name=NAME, live=False, awaiting_confirmation=True)
    draft.save_revision()
    schedule.run(now=now + 6 * DAY)
    assert Profile.objects.filter(pk=draft.pk).exists()
    schedule.run(now=now + 8 * DAY)
    assert not Profile.objects.filter(pk=draft.pk).exists()
    assert_no_trace(EMAIL, NAME)


def test_delays_come_from_the_site_settings():
    from wagtail.models import Site

    conf = LifecycleSettings.for_site(Site.objects.get(is_default_site=True))
    conf.unconfirmed_days = 2
    conf.save()
    now = timezone.now()
    draft = make_profile(live=False, awaiting_confirmation=True)
    schedule.run(now=now + 3 * DAY)
    assert not Profile.objects.filter(pk=draft.pk).exists()


def test_settings_must_come_in_order():
    from django.core.exceptions import ValidationError
    from wagtail.models import Site

    conf = LifecycleSettings(
        site=Site.objects.get(is_default_site=True), first_reminder_months=12, hide_months=6
    )
    with pytest.raises(ValidationError):
        conf.full_clean()


def test_run_lifecycle_command_is_idempotent():
    start = timezone.now() - timedelta(days=200)
    owner_profile(start)
    call_command("run_lifecycle")
    call_command("run_lifecycle")
    assert len(subjects()) == 1


class FlakyBackend:
    """An email backend whose provider is down for the first `failures` sends."""

    failures = 0
    sent = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionError(f"provider down for {messages[0].to[0]}")
        FlakyBackend.sent.extend(messages)
        return len(messages)


FLAKY = {"default": {"BACKEND": "tests.publication.test_lifecycle.FlakyBackend"}}


@override_settings(MAILERS=FLAKY)
def test_provider_outage_delays_every_email_and_sends_each_exactly_once():
    FlakyBackend.failures = 5
    FlakyBackend.sent = []
    profiles = [make_profile(email=f"outage{i}@example.org") for i in range(3)]
    # Only the update requests go out: the three neighbours' emails of suggestions are off.
    SuggestionEmails.objects.bulk_create(
        SuggestionEmails(profile=profile, enabled=False) for profile in profiles
    )
    now = timezone.now()
    for profile in profiles:
        lifecycle.request_update(profile, now=now)
    # The provider refused the three first attempts: nothing went out yet.
    assert FlakyBackend.sent == [] and FlakyBackend.failures == 2
    # The cron runs every hour for a day.
    for hour in range(1, 25):
        schedule.run(now=now + timedelta(hours=hour))
    recipients = sorted(m.to[0] for m in FlakyBackend.sent)
    assert recipients == sorted(p.email for p in profiles)
    assert OutgoingEmail.objects.filter(status="sent").count() == 3
    # The log says it failed and retried, without the address.
    retries = ProfileEvent.objects.filter(kind="email_retry")
    assert retries.exists()
    assert not any("@" in event.detail for event in retries)
    # Sent bodies are erased (they hold a live link).
    assert not OutgoingEmail.objects.exclude(text_body="").exists()
    # Running again sends nothing more.
    schedule.run(now=now + timedelta(days=2))
    assert len(FlakyBackend.sent) == 3


def test_a_claimed_message_is_never_sent_twice():
    from profiles_module.publication.emails import deliver

    profile = make_profile()
    message = lifecycle.request_update(profile)
    assert OutgoingEmail.objects.get(pk=message.pk).status == "sent"
    count = len(mail.outbox)
    assert deliver(message.pk) == "skipped"
    assert len(mail.outbox) == count


def test_retry_delay_backs_off_and_is_capped():
    assert retry_delay(1) < retry_delay(2) < retry_delay(5)
    assert retry_delay(50) == timedelta(hours=6)


def test_outbox_rows_are_purged_after_the_retention():
    profile = make_profile()
    lifecycle.request_update(profile)
    assert OutgoingEmail.objects.count() == 1
    schedule.run(now=timezone.now() + timedelta(days=31))
    assert OutgoingEmail.objects.count() == 0


def test_request_update_never_twice_within_the_interval():
    profile = make_profile(email=EMAIL)
    now = timezone.now()
    assert lifecycle.request_update(profile, now=now) is not None
    assert lifecycle.request_update(profile, now=now + 10 * DAY) is None
    assert lifecycle.request_update(profile, now=now + 31 * DAY) is not None
    assert len(subjects()) == 2


def test_bulk_action_previews_then_queues_update_requests(admin_client):
    first = make_profile(email="first@example.org", public_name="Premier")
    second = make_profile(email="second@example.org", public_name="Second")
    url = (
        reverse("wagtail_bulk_action", args=["profiles_module", "profile", "ask_to_update"])
        + f"?id={first.pk}&id={second.pk}"
    )
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Premier" in html and "Second" in html
    assert "/lien/" not in html  # the preview shows no live link
    response = admin_client.post(url)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.org", "second@example.org"]
    assert ProfileEvent.objects.filter(kind="update_requested").count() == 2
    # A second time within the interval: nothing sent.
    admin_client.post(url)
    assert len(mail.outbox) == 2


def test_events_are_shown_to_editors_on_the_profile(admin_client):
    profile = make_profile()
    lifecycle.request_update(profile)
    url = reverse("wagtailsnippets_profiles_module_profile:edit", args=[profile.pk])
    html = admin_client.get(url).content.decode()
    assert "update_request #" in html


def test_bulk_action_is_listed_on_the_profiles_listing(admin_client):
    make_profile()
    url = reverse("wagtailsnippets_profiles_module_profile:list")
    html = admin_client.get(url).content.decode()
    assert "ask_to_update" in html


# --- after erasure, nothing personal is left anywhere


def test_owner_erasure_leaves_no_trace_in_any_table(client):
    profile = owner_profile(timezone.now())
    profile.presentation = "Présentation"
    profile.save_revision().publish()
    lifecycle.pause(profile)
    lifecycle.resume(profile)
    lifecycle.request_email_change(profile, "other-" + EMAIL)
    lifecycle.erase(profile, "owner")
    assert_no_trace(EMAIL, NAME)
    assert AccessToken.objects.count() == 0
    assert ProfileEvent.objects.filter(profile_uid=profile.uid, kind="erased").exists()


def test_editor_deletion_in_the_admin_also_scrubs_revisions_and_logs(admin_client):
    profile = owner_profile(timezone.now())
    url = reverse("wagtailsnippets_profiles_module_profile:delete", args=[profile.pk])
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert_no_trace(EMAIL, NAME)
