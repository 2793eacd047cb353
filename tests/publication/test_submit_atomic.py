"""A submission is stored whole or not at all: a write failing midway leaves no draft,
no outbox message, and sends nothing."""

import pytest
from django.core import mail

from profiles_module.models import AccessToken, OutgoingEmail, Profile, ProfileEvent, Sector
from tests.factories import publish_form_data

pytestmark = pytest.mark.django_db


class DiskFull(Exception):
    pass


def fail_sector_save(monkeypatch):
    """The fiche's row is written, then its sector fails."""

    def save(self, *args, **kwargs):
        raise DiskFull("sector")

    monkeypatch.setattr(Sector, "save", save)


def fail_after_outbox(monkeypatch):
    """Everything is written, the confirmation email in the outbox included, then the
    event logging it fails."""
    record = ProfileEvent.record.__func__

    def failing_record(cls, profile, kind, *args, **kwargs):
        if kind == ProfileEvent.Kind.EMAIL_QUEUED:
            raise DiskFull("event")
        return record(cls, profile, kind, *args, **kwargs)

    monkeypatch.setattr(ProfileEvent, "record", classmethod(failing_record))


@pytest.mark.parametrize("fault", [fail_sector_save, fail_after_outbox])
def test_a_write_failing_midway_leaves_nothing(client, publish_page, monkeypatch, fault):
    fault(monkeypatch)
    with pytest.raises(DiskFull):
        client.post(publish_page.url, publish_form_data())
    assert not Profile.objects.filter(email="dominique@example.org").exists()
    assert not OutgoingEmail.objects.exists()
    assert not AccessToken.objects.exists()
    assert mail.outbox == []


def test_a_whole_submission_still_sends_its_confirmation(client, publish_page):  # noqa: F811
    response = client.post(publish_page.url, publish_form_data())
    assert response.status_code == 302
    profile = Profile.objects.get(email="dominique@example.org")
    assert profile.sectors.count() == 1
    assert OutgoingEmail.objects.filter(profile=profile, template="confirm").count() == 1
    [message] = mail.outbox
    assert message.to == ["dominique@example.org"]
