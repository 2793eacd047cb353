"""The publish page: form, validation, double opt-in, moderation, one profile per address."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.http import QueryDict
from django.test import override_settings
from wagtail.models import Page, Workflow, WorkflowContentType

from profiles_module.models import (
    Departement,
    LifecycleSettings,
    Profile,
    ProfileEvent,
    PublishPage,
)
from profiles_module.publication.forms import PublishProfileForm
from tests.factories import make_profile, publish_form_data
from tests.helpers import confirm_link

pytestmark = pytest.mark.django_db


def submit(client, page, **overrides):
    return client.post(page.url, publish_form_data(**overrides))


def test_page_renders_the_form_with_fieldsets_and_unticked_consents(client, publish_page):
    response = client.get(publish_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") >= 6
    assert "<legend" in html
    consent = re.search(r'<input[^>]*name="publication_consent"[^>]*>', html).group(0)
    assert "checked" not in consent and "required" in consent
    news = re.search(r'<input[^>]*name="news_consent"[^>]*>', html).group(0)
    assert "checked" not in news
    assert "data-fv-commune" in html  # the commune autocomplete
    assert "<script>" not in html  # no inline script
    assert "Comment vos données sont utilisées" in html


def test_valid_submission_stores_a_private_draft_and_emails_a_confirmation(client, publish_page):
    response = submit(client, publish_page, news_consent="on")
    assert response.status_code == 302
    assert response["Location"].endswith("?sent=1")
    profile = Profile.objects.get(email="dominique@example.org")
    assert profile.live is False
    assert profile.awaiting_confirmation is True
    assert profile.publication_consent_at is not None
    assert profile.news_consent is True and profile.news_consent_at is not None
    assert profile.sectors.count() == 1
    assert profile.site == publish_page.get_site()
    assert profile.language == "fr"
    assert Profile.objects.public().filter(pk=profile.pk).exists() is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dominique@example.org"]
    assert "/confirmer/" in message.body
    assert "/lien/" in message.body  # every owner email carries the management link
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    # The thank-you page, in French by default.
    assert "Vérifiez votre boîte mail" in client.get(response["Location"]).content.decode()


def photo_upload(size=(1600, 1200), name="moi.jpg"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_household_can_add_a_photo_resized_on_upload(client, publish_page):
    from PIL import Image

    response = client.post(publish_page.url, {**publish_form_data(), "photo": photo_upload()})
    assert response.status_code == 302
    profile = Profile.objects.get(email="dominique@example.org")
    with Image.open(profile.photo) as stored:
        assert max(stored.size) == 800


@override_settings(PROFILES_PHOTO_MAX_UPLOAD_BYTES=1000)
def test_an_oversized_photo_is_a_field_error_and_nothing_is_stored(client, publish_page):
    response = client.post(publish_page.url, {**publish_form_data(), "photo": photo_upload()})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert not Profile.objects.exists()


def test_a_file_that_is_not_an_image_is_a_field_error(client, publish_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("moi.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(publish_page.url, {**publish_form_data(), "photo": fake})
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert not Profile.objects.exists()


def test_confirmation_get_does_not_spend_and_post_publishes(client, publish_page):
    submit(client, publish_page)
    link = confirm_link(mail.outbox[0])
    for _ in range(2):  # a mail scanner, then the owner
        response = client.get(link)
        assert response.status_code == 200
        assert "<form" in response.content.decode()
    assert Profile.objects.get().live is False
    response = client.post(link)
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.live is True
    assert profile.awaiting_confirmation is False
    assert profile.email_confirmed_at is not None
    kinds = set(ProfileEvent.objects.filter(profile=profile).values_list("kind", flat=True))
    assert {"submitted", "confirmed", "published", "email_sent"} <= kinds
    # Signed in: the management page shows the status.
    page = client.get(response["Location"]).content.decode()
    assert "Dominique" in page
    # Used once: the second POST says so.
    response = client.post(link)
    assert response.status_code == 410
    assert "déjà été utilisé" in response.content.decode()


def test_french_email_by_default(client, publish_page):
    # The address decides the language (English under /en/), not the browser's.
    client.post(publish_page.url, publish_form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert Profile.objects.get().language == "fr"
    assert mail.outbox[0].subject == "Confirmez votre fiche"


def test_errors_keep_input_and_store_nothing(client, publish_page):
    response = submit(
        client, publish_page, publication_consent=None, public_name="Alex", adults="abc"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Profile.objects.count() == 0
    assert len(mail.outbox) == 0
    assert 'value="Alex"' in html  # what was typed is kept
    assert 'id="error-summary"' in html
    assert 'href="#id_publication_consent"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_adults_error"' in html
    assert re.search(r'aria-describedby="[^"]*id_adults_error', html)


def test_a_sector_is_required_and_at_most_three(client, publish_page):
    response = submit(client, publish_page, **{"sectors-0-commune": None})
    assert response.status_code == 200
    assert Profile.objects.count() == 0
    # The commune box points to its error and to its hint, in one attribute.
    box = re.search(r'<input[^>]*name="sectors-0-commune_label"[^>]*>', response.content.decode())
    assert box.group(0).count("aria-describedby") == 1
    assert 'aria-describedby="id_sectors-0-commune_error id_sectors-0-commune_hint"' in box.group(0)
    data = publish_form_data(**{"sectors-TOTAL_FORMS": "4"})
    departement = Departement.objects.first()
    for index in (1, 2, 3):
        data[f"sectors-{index}-kind"] = "departement"
        data[f"sectors-{index}-departement"] = str(departement.pk)
    response = client.post(publish_page.url, data)
    assert response.status_code == 200
    assert Profile.objects.count() == 0


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "html": "<b>gras</b>",
    "control": "abc\x07def",
    "huge": "a" * 100_000,
    "crlf": "Nom\r\nBcc: x@example.org",
    "nul": "abc\x00def",
}
TEXT_FIELDS = ["public_name", "values_other", "presentation", "national_project_url", "email"]
OTHER_FIELDS = [
    "profile_kind",
    "composition",
    "adults",
    "children",
    "age_bands",
    "setting",
    "tenure",
    "project_kinds",
    "horizon",
    "role",
    "steps",
    "place_commune",
    "values",
    "financing_band",
    "social_housing_eligible",
    "sectors-0-kind",
    "sectors-0-commune",
    "sectors-0-radius_km",
    "sectors-0-departement",
    "sectors-0-region",
    "sectors-0-ORDER",
    "sectors-TOTAL_FORMS",
]


@pytest.mark.parametrize("field", TEXT_FIELDS + ["sectors-0-commune", "sectors-TOTAL_FORMS"])
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_is_refused_or_inert_never_a_500(client, publish_page, field, kind):
    """Over HTTP: the page shows what was typed, escaped, with the error summary."""
    value = HOSTILE[kind]
    response = client.post(publish_page.url, publish_form_data(**{field: value}))
    assert response.status_code in (200, 302)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if response.status_code == 200:
        assert Profile.objects.count() == 0
        if field != "sectors-TOTAL_FORMS":
            assert "error-summary" in html
    for profile in Profile.objects.all():
        # Stored only as inert text (none of these values are valid in a text field).
        assert value not in (profile.public_name, profile.presentation)


@pytest.mark.parametrize("field", OTHER_FIELDS)
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_in_the_other_fields_is_refused_or_inert(publish_page, field, kind):
    """The same matrix at form level for the choice, number and sector fields: the page
    adds only its rendering, done here field by field (each widget, with the value)."""
    value = HOSTILE[kind]
    data = QueryDict(mutable=True)
    data.update(publish_form_data(**{field: value}))
    form = PublishProfileForm(data, partner=None)
    valid = form.is_valid()
    sectors = form.formsets["sectors"]
    html = "".join(str(form[name]) for name in form.fields) + "".join(
        str(sector[name]) for sector in sectors.forms for name in sector.fields
    )
    assert "<script>alert(1)</script>" not in html
    if not valid:
        if field != "sectors-TOTAL_FORMS":
            assert form.error_summary()
    else:
        assert value not in (form.cleaned_data["public_name"], form.cleaned_data["presentation"])


def test_a_huge_presentation_is_refused_by_its_length_alone(client, publish_page):
    response = submit(client, publish_page, presentation="a" * 100_000 + " moi@example.org")
    assert response.status_code == 200
    error = response.context["form"].errors["presentation"]
    assert error == [
        "La présentation ne doit pas dépasser 2000 caractères (elle en compte 100016)."
    ]
    assert not Profile.objects.exists()


def test_crlf_in_the_name_is_a_field_error(client, publish_page):
    response = submit(client, publish_page, public_name="Ana\r\nBcc: x@example.org")
    assert response.status_code == 200
    assert 'id="id_public_name_error"' in response.content.decode()


def test_honeypot_pretends_success_and_stores_nothing(client, publish_page):
    response = submit(client, publish_page, website="http://spam.example")
    assert response.status_code == 302
    assert Profile.objects.count() == 0
    assert len(mail.outbox) == 0


def test_second_submission_with_same_address_sends_a_management_link(client, publish_page):
    existing = make_profile(email="dominique@example.org", public_name="Ancienne")
    first = submit(client, publish_page, email="Dominique@Example.org")
    other = submit(client, publish_page, email="personne@example.org")
    assert Profile.objects.filter(email__iexact="dominique@example.org").count() == 1
    # Same answer either way.
    assert first.status_code == other.status_code == 302
    assert first["Location"] == other["Location"]
    assert client.get(first["Location"]).content == client.get(other["Location"]).content
    to_existing = [m for m in mail.outbox if m.to == ["dominique@example.org"]]
    assert len(to_existing) == 1
    assert "/lien/" in to_existing[0].body and "/confirmer/" not in to_existing[0].body
    assert ProfileEvent.objects.filter(profile=existing, kind="duplicate").exists()


def test_several_profiles_per_address_when_the_site_allows_it(client, publish_page):
    make_profile(email="dominique@example.org")
    conf = LifecycleSettings.for_site(publish_page.get_site())
    conf.one_profile_per_email = False
    conf.save()
    submit(client, publish_page)
    assert Profile.objects.filter(email="dominique@example.org").count() == 2


@override_settings(PROFILES_SUBMISSIONS_PER_IP=2)
def test_submissions_are_rate_limited_per_ip(client, publish_page):
    from django.core.cache import cache

    cache.clear()
    statuses = [
        submit(client, publish_page, email=f"p{i}@example.org").status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    cache.clear()


def enable_moderation(site, *, workflow=True):
    conf = LifecycleSettings.for_site(site)
    conf.moderation_before_publication = True
    conf.save()
    if workflow:
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(Profile),
            defaults={"workflow": Workflow.objects.get(name="Moderators approval")},
        )


def test_moderation_keeps_the_profile_private_until_approved(
    client, publish_page, django_user_model
):
    enable_moderation(publish_page.get_site())
    submit(client, publish_page)
    client.post(confirm_link(mail.outbox[0]))
    profile = Profile.objects.get()
    assert profile.live is False
    assert profile.workflow_in_progress
    mail.outbox.clear()

    moderator = django_user_model.objects.create_superuser("mod", "mod@example.net", "pw")
    state = profile.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    profile.refresh_from_db()
    assert profile.live is True
    owner_mails = [m for m in mail.outbox if m.to == ["dominique@example.org"]]
    assert len(owner_mails) == 1
    assert owner_mails[0].subject == "Votre fiche est publiée"


def test_moderation_rejection_emails_the_owner(client, publish_page, django_user_model):
    enable_moderation(publish_page.get_site())
    submit(client, publish_page)
    client.post(confirm_link(mail.outbox[0]))
    mail.outbox.clear()
    profile = Profile.objects.get()
    moderator = django_user_model.objects.create_superuser("mod", "mod@example.net", "pw")
    task_state = profile.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject")
    profile.refresh_from_db()
    assert profile.live is False
    owner_mails = [m for m in mail.outbox if m.to == ["dominique@example.org"]]
    assert [m.subject for m in owner_mails] == ["Votre fiche doit être modifiée"]
    assert ProfileEvent.objects.filter(profile=profile, kind="rejected").exists()


def test_moderation_without_a_workflow_waits_for_an_editor(client, publish_page):
    enable_moderation(publish_page.get_site(), workflow=False)
    WorkflowContentType.objects.filter(
        content_type=ContentType.objects.get_for_model(Profile)
    ).delete()
    submit(client, publish_page)
    response = client.post(confirm_link(mail.outbox[0]))
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.live is False
    assert ProfileEvent.objects.filter(profile=profile, kind="moderation").exists()


def test_publish_page_is_creatable_under_any_page():
    assert PublishPage in Page.clean_subpage_models()
