"""Managing a profile without a password: links, session, edit, pause, email, delete, data."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from profiles_module.models import AccessToken, Profile, ProfileEvent
from profiles_module.publication import lifecycle, tokens
from tests.factories import edit_form_data, make_profile, manage_link
from tests.helpers import assert_no_trace

pytestmark = pytest.mark.django_db

EMAIL = "owner@example.org"


@pytest.fixture
def profile():
    profile = make_profile(email=EMAIL, public_name="Maëlle")
    profile.save_revision().publish()
    return profile


@pytest.fixture
def owner(client, profile):
    """A client signed in as the owner of `profile`."""
    assert client.post(manage_link(profile)).status_code == 302
    return client


def url(name):
    return reverse(f"profiles_module:{name}")


def test_tokens_are_random_long_and_stored_hashed(profile):
    raw = tokens.issue(profile, "manage")
    assert len(raw) >= 43  # 32 random bytes
    stored = AccessToken.objects.get()
    assert stored.token_hash != raw and raw not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_get_does_not_spend_post_signs_in_once(client, profile):
    link = manage_link(profile)
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200
    assert AccessToken.objects.get().used_at is None
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == url("manage")
    assert "Maëlle" in client.get(url("manage")).content.decode()
    other = client.__class__()
    response = other.post(link)
    assert response.status_code == 410
    html = response.content.decode()
    assert "nouveau lien" in html.lower()


def test_expired_link_says_so_and_offers_a_new_one(client, profile):
    link = manage_link(profile, now=timezone.now() - timedelta(days=31))
    response = client.post(link)
    assert response.status_code == 410
    html = response.content.decode()
    assert "expir" in html.lower()
    assert url("new_link") in html
    assert client.get(url("manage")).status_code == 403


def test_unknown_link(client):
    response = client.get(reverse("profiles_module:owner_link", args=["x" * 43]))
    assert response.status_code == 410


def test_a_manage_link_does_not_work_as_a_confirm_link(client, profile):
    raw = tokens.issue(profile, "manage")
    response = client.post(reverse("profiles_module:confirm", args=[raw]))
    assert response.status_code == 410


def test_session_is_limited_to_the_profile_and_expires(owner, profile):
    other = make_profile(email="other@example.org", public_name="Octavien")
    assert owner.get(url("manage")).status_code == 200
    html = owner.get(url("manage_edit")).content.decode()
    assert "Maëlle" in html and "Octavien" not in html
    assert str(other.pk) not in owner.session["profiles_module_owner"].values()
    with override_settings(PROFILES_OWNER_SESSION_MINUTES=1):
        data = owner.session["profiles_module_owner"]
        session = owner.session
        data["until"] = timezone.now().timestamp() - 1
        session["profiles_module_owner"] = data
        session.save()
    assert owner.get(url("manage")).status_code == 403


def test_anonymous_visitors_cannot_manage(client, profile):
    for name in ("manage", "manage_edit", "manage_email", "manage_delete", "manage_data"):
        assert client.get(url(name)).status_code == 403


def test_owner_edits_the_published_profile(owner, profile):
    response = owner.post(url("manage_edit"), edit_form_data(profile, public_name="Maëlle et Jo"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.public_name == "Maëlle et Jo"
    assert profile.live is True
    assert profile.last_confirmed_at is not None
    assert ProfileEvent.objects.filter(profile=profile, kind="edited").exists()


def test_owner_edit_errors_are_shown_and_nothing_changes(owner, profile):
    response = owner.post(url("manage_edit"), edit_form_data(profile, public_name="<b>x</b>"))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert Profile.objects.get(pk=profile.pk).public_name == "Maëlle"


def test_pause_hides_and_resume_shows_again(owner, profile):
    owner.post(url("manage_pause"))
    profile.refresh_from_db()
    assert profile.paused and not profile.live
    assert not Profile.objects.public().filter(pk=profile.pk).exists()
    # Editing a paused profile keeps it paused.
    owner.post(url("manage_edit"), edit_form_data(profile, public_name="En pause"))
    profile.refresh_from_db()
    assert not profile.live and profile.public_name == "En pause"
    owner.post(url("manage_resume"))
    profile.refresh_from_db()
    assert not profile.paused and profile.live and profile.public_name == "En pause"
    assert owner.get(url("manage_pause")).status_code == 405  # POST only


def test_still_looking_button(owner, profile):
    Profile.objects.filter(pk=profile.pk).update(
        last_confirmed_at=timezone.now() - timedelta(days=200), reminders_sent=1
    )
    owner.post(url("manage_still_looking"))
    profile.refresh_from_db()
    assert profile.reminders_sent == 0
    assert profile.last_confirmed_at > timezone.now() - timedelta(minutes=1)


def test_change_email_is_confirmed_at_the_new_address(owner, client, profile):
    mail.outbox.clear()
    owner.post(url("manage_email"), {"email": "new@example.org"})
    assert Profile.objects.get(pk=profile.pk).email == EMAIL  # not yet
    message = mail.outbox[-1]
    assert message.to == ["new@example.org"]
    link = re.search(r"https?://\S+/nouvelle-adresse/\S+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    assert owner.get(path).status_code == 200
    assert owner.post(path).status_code == 302
    assert Profile.objects.get(pk=profile.pk).email == "new@example.org"
    # No revision keeps the old address.
    from wagtail.models import Revision

    for revision in Revision.objects.for_instance(profile):
        assert EMAIL not in json.dumps(revision.content)


def test_delete_asks_once_then_erases_everything(owner, profile):
    response = owner.post(url("manage_delete"), {})
    assert response.status_code == 200
    assert Profile.objects.filter(pk=profile.pk).exists()
    response = owner.post(url("manage_delete"), {"confirm": "on"})
    assert response.status_code == 200
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert owner.get(url("manage")).status_code == 403

    assert_no_trace(EMAIL, "Maëlle")


def test_download_my_data(owner, profile):
    lifecycle.request_update(profile)
    response = owner.get(url("manage_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["public_name"] == "Maëlle"
    assert data["consents"]["publication"]
    assert data["sectors"][0]["commune"] == "42218"
    assert any(event["event"] == "update_requested" for event in data["events"])
    assert any(email["template"] == "update_request" for email in data["emails"])
    assert "messages" in data


def test_new_link_answers_identically_for_known_and_unknown(client, profile):
    mail.outbox.clear()
    known = client.post(url("new_link"), {"email": EMAIL})
    unknown = client.post(url("new_link"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "/lien/" in mail.outbox[0].body


def test_new_link_for_an_unconfirmed_profile_resends_the_confirmation(client):
    make_profile(email=EMAIL, live=False, awaiting_confirmation=True)
    client.post(url("new_link"), {"email": EMAIL})
    assert "/confirmer/" in mail.outbox[-1].body


@override_settings(PROFILES_LINK_REQUESTS_PER_ADDRESS=2, PROFILES_LINK_REQUESTS_PER_IP=100)
def test_new_link_is_rate_limited_per_address(client, profile):
    statuses = [client.post(url("new_link"), {"email": EMAIL}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2


@override_settings(PROFILES_LINK_REQUESTS_PER_IP=2)
def test_new_link_is_rate_limited_per_ip(client):
    statuses = [
        client.post(url("new_link"), {"email": f"a{i}@example.org"}).status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_settings_are_read_at_call_time(profile):
    with override_settings(PROFILES_MANAGE_LINK_DAYS=1):
        tokens.issue(profile, "manage")
    token = AccessToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=1)


def test_the_owner_page_links_to_the_public_profile_only_while_it_is_public(owner, profile):
    html = owner.get(url("manage")).content.decode()
    link = re.search(r'<a href="([^"]+)">Voir ma fiche publique</a>', html)
    assert link and link.group(1) == profile.get_absolute_url()
    assert owner.get(link.group(1)).status_code == 200

    assert owner.post(url("manage_pause")).status_code == 302
    html = owner.get(url("manage")).content.decode()
    assert "Voir ma fiche publique" not in html
    assert "Votre fiche est en pause\xa0: personne ne la voit" in html


def test_the_owner_page_says_a_profile_awaiting_confirmation_is_not_public(client):
    draft = make_profile(email="nouveau@example.org", live=False)
    draft.email_confirmed_at = None
    draft.save()
    assert client.post(manage_link(draft)).status_code == 302
    html = client.get(url("manage")).content.decode()
    assert "Voir ma fiche publique" not in html
    assert "Votre fiche n'est pas encore publique\xa0: personne ne la voit." in html
