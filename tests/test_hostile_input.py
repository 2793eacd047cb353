"""Hostile input on every public form and endpoint: a megabyte costs little, odd digits and
huge ids get a clear error, never a 500.

The timed assertions here are the only ones of the suite: a generous second for a
megabyte, where a pattern that backtracks takes minutes.
"""

import re
import time
import uuid
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from profiles_module.common.validators import (
    validate_no_contact_details,
    validate_plain_text,
    validate_single_line,
)
from profiles_module.contact.blocks import block_target
from profiles_module.models import Profile
from profiles_module.publication import tokens
from profiles_module.publication.forms import SECTOR_FORMSET, PublishProfileForm
from tests.factories import make_profile, publish_form_data
from tests.helpers import prove_senders

pytestmark = pytest.mark.django_db

MB = 1_000_000
# Digits: a word character for the address pattern and a digit for the phone one.
HUGE = "1" * MB
SENDER = "sacha@example.net"
# CPU seconds within which a megabyte is handled "at once": linear handling takes 0.3-0.8 s
# here when run alone and up to 1.1 s late in a whole run on a slow machine (SQLite's work
# counts: it runs in this process); a quadratic pattern takes minutes.
AT_ONCE = 3


def timed(call):
    """The call's result and the CPU seconds this process spent on it: what a quadratic
    pattern costs (minutes on a megabyte), not what other processes on a busy machine
    take from the wall clock."""
    start = time.process_time()
    result = call()
    return result, time.process_time() - start


# --- the validators themselves, as the model's full_clean runs them


SHAPES = {
    "letters": "a" * MB,
    "digits": "0" * MB,
    "dotted": "a." * (MB // 2),
    "after an at sign": "a@" + "b" * MB,
    "spaces then at": "a" + " " * MB + "@",
    "tag opening": "<" + " " * MB,
    "entity": "&" + "a" * MB,
    "phone-like": "06 " * (MB // 3),
    "(at) words": "a (at) " * (MB // 7),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "validator", [validate_plain_text, validate_single_line, validate_no_contact_details]
)
def test_each_validator_reads_a_megabyte_within_a_second(validator, shape):
    def run():
        try:
            validator(SHAPES[shape])
        except Exception as error:  # noqa: BLE001 (only its cost matters here)
            return error
        return None

    _, seconds = timed(run)
    assert seconds < AT_ONCE


@pytest.mark.parametrize("field", ["public_name", "values_other", "presentation"])
def test_the_models_full_clean_reads_a_megabyte_within_a_second(field):
    """Editors' forms and imports validate through the model, whose validators run whatever
    the length: linear patterns keep that path cheap too."""
    from django.core.exceptions import ValidationError

    profile = make_profile(save=False, **{field: "a" * MB})

    def full_clean():
        try:
            profile.full_clean()
        except ValidationError as error:
            return error.message_dict
        return {}

    errors, seconds = timed(full_clean)
    assert seconds < AT_ONCE
    assert field in errors


# --- the publication form, field by field


# Every input of the form: its fields, what the commune boxes send without JavaScript, and
# the first sector's fields. The management form is left out (not a field of anyone's).
PUBLISH_INPUTS = [
    *PublishProfileForm.base_fields,
    "place_commune_label",
    *(f"sectors-0-{name}" for name in [*SECTOR_FORMSET["fields"], "commune_label", "ORDER"]),
]
# Django's own message, in French: what a person reads next to the field.
TOO_LONG = "Assurez-vous que cette valeur comporte au plus"


def field_error(html, field):
    """The text of the error paragraph of a field, or None."""
    found = re.search(rf'id="id_{re.escape(field)}_error"[^>]*>(.*?)</', html, re.S)
    return found.group(1) if found else None


@pytest.mark.parametrize("field", PUBLISH_INPUTS)
def test_a_megabyte_in_any_field_of_the_publication_form_is_refused_at_once(
    client, publish_page, field
):
    data = publish_form_data(**{field: HUGE})
    box = field.removesuffix("_label")
    if field != box:
        data.pop(box, None)  # What is sent without JavaScript: the typed text, no id.
    response, seconds = timed(lambda: client.post(publish_page.url, data))
    assert seconds < AT_ONCE
    if field in (
        "photo",
        "place_identified",
        "financing_public",
        "news_consent",
        "publication_consent",
    ):
        # Not a file; ticked boxes.
        assert response.status_code == 302
        assert Profile.objects.get().presentation == data["presentation"]
        return
    assert response.status_code == 200
    assert not Profile.objects.exists() and not mail.outbox
    html = response.content.decode()
    assert "error-summary" in html
    # What was typed elsewhere is kept.
    kept = "dominique@example.org" if field == "public_name" else "Dominique"
    assert f'value="{kept}"' in html
    if field in ("public_name", "values_other", "email", "website"):
        assert TOO_LONG in field_error(html, field)
    elif field == "presentation":
        assert "La présentation ne doit pas dépasser 2000" in field_error(html, field)
    elif field != box:
        # A name typed without JavaScript that matches no commune.
        assert field_error(html, box)
    else:
        assert field_error(html, field) or field.endswith("ORDER")


def test_the_presentation_limit_is_checked_before_its_patterns(client, publish_page):
    """The field's length check answers alone: the address and phone patterns, which
    the model runs, never see the text (which holds an address)."""
    text = "écrivez à moi@example.org " * 100
    response = client.post(publish_page.url, publish_form_data(presentation=text))
    html = response.content.decode()
    error = field_error(html, "presentation")
    assert "La présentation ne doit pas dépasser 2000 caractères (elle en compte 2599)" in error
    assert "adresse" not in error  # not the "no email address" error too
    assert "écrivez à moi@example.org" in html  # kept in the box


def test_a_commune_typed_as_unicode_digits_without_javascript_is_a_field_error(
    client, publish_page
):
    for typed in ("²", "²²²²²", "99999999999999999999", "1" * 5000):
        data = publish_form_data(**{"sectors-0-commune": "", "sectors-0-commune_label": typed})
        response = client.post(publish_page.url, data)
        assert response.status_code == 200, typed
        assert field_error(response.content.decode(), "sectors-0-commune"), typed
        response = client.post(publish_page.url, publish_form_data(**{"sectors-0-commune": typed}))
        assert response.status_code == 200, typed
        assert field_error(response.content.decode(), "sectors-0-commune"), typed
        data = publish_form_data(place_identified="on", place_commune_label=typed)
        response = client.post(publish_page.url, data)
        assert response.status_code == 200, typed
        assert field_error(response.content.decode(), "place_commune"), typed
    assert not Profile.objects.exists()


# --- the owner's pages


@pytest.fixture
def owner(client):
    profile = make_profile(email="owner@example.org", public_name="Maëlle")
    profile.save_revision().publish()
    link = reverse("profiles_module:owner_link", args=[tokens.issue(profile, "manage")])
    assert client.post(link).status_code == 302
    client.profile = profile
    return client


def edit_data(profile, **changes):
    sector = profile.sectors.first()
    data = publish_form_data(**{"sectors-0-commune": str(sector.commune_id)})
    for name in ("email", "publication_consent", "presentation"):
        data.pop(name)
    data |= {"public_name": profile.public_name, "sectors-INITIAL_FORMS": "1"}
    data["sectors-0-id"] = str(sector.pk)
    return data | changes


@pytest.mark.parametrize(
    "field", ["public_name", "values_other", "presentation", "national_project_url", "sectors-0-id"]
)
def test_a_megabyte_in_the_owners_edit_form_is_refused_at_once(owner, field):
    profile = owner.profile
    url = reverse("profiles_module:manage_edit")
    response, seconds = timed(lambda: owner.post(url, edit_data(profile, **{field: HUGE})))
    assert seconds < AT_ONCE
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, field) or "error-summary" in html
    profile.refresh_from_db()
    assert profile.public_name == "Maëlle"


@pytest.mark.parametrize(
    ("name", "method"),
    [("manage_email", "owner"), ("new_link", "client")],
)
def test_a_megabyte_as_an_address_is_refused_at_once(client, owner, name, method):
    response, seconds = timed(
        lambda: owner.post(reverse(f"profiles_module:{name}"), {"email": HUGE})
    )
    assert seconds < AT_ONCE
    assert response.status_code in (200, 400)
    assert TOO_LONG in field_error(response.content.decode(), "email")
    assert not mail.outbox


# --- the contact relay: a profile's form, the team's form (a ContactRelayBlock)


def contact_token(target, age=10):
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() - age):
        return signing.TimestampSigner(salt="profiles_module.contact").sign(target)


def team_contact_page():
    from home.models import ContentPage, HomePage

    page = ContentPage(
        title="Contacter l'équipe",
        slug="contacter-l-equipe",
        body=[
            (
                "contact",
                {"heading": "Écrire", "intro": "", "profile": None, "address": "eq@example.org"},
            )
        ],
    )
    HomePage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture(params=["profile", "team"])
def contact_form(request, client):
    """(url, form token target) of the profile page's form and of the team's form."""
    prove_senders(client, SENDER)
    if request.param == "profile":
        profile = make_profile(public_name="Dominique", email="dominique@example.org")
        return reverse("profiles_module:contact", args=[profile.uid]), str(profile.uid)
    page = team_contact_page()
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    return (
        reverse("profiles_module:contact_block", args=[page.pk, block_id]),
        block_target(page.pk, block_id),
    )


@pytest.mark.parametrize("field", ["sender_name", "sender_address", "message", "website"])
def test_a_megabyte_in_a_contact_form_is_refused_at_once(client, contact_form, field):
    url, target = contact_form
    data = {
        "sender_name": "Sacha",
        "sender_address": SENDER,
        "message": "Bonjour, nous cherchons aussi près de Saint-Étienne.",
        "website": "",
        "form_token": contact_token(target),
    }
    response, seconds = timed(lambda: client.post(url, data | {field: HUGE}))
    assert seconds < AT_ONCE
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert TOO_LONG in field_error(html, field)
    assert not mail.outbox
    if field != "sender_name":
        assert 'value="Sacha"' in html


def test_a_megabyte_as_a_contact_form_token_is_refused_at_once(client, contact_form):
    url, _target = contact_form
    data = {"sender_name": "Sacha", "sender_address": SENDER, "message": "Bonjour."}
    response, seconds = timed(lambda: client.post(url, data | {"form_token": HUGE}))
    assert seconds < AT_ONCE
    assert response.status_code in (200, 400)
    assert not mail.outbox


def test_a_megabyte_in_an_abuse_report_is_refused_at_once(client):
    prove_senders(client, SENDER)
    profile = make_profile(public_name="Dominique", email="dominique@example.org")
    url = reverse("profiles_module:contact", args=[profile.uid])
    data = {
        "sender_name": "Sacha",
        "sender_address": SENDER,
        "message": "Bonjour.",
        "form_token": contact_token(str(profile.uid)),
    }
    assert client.post(url, data).status_code == 302
    email = next(m for m in mail.outbox if m.to == ["dominique@example.org"])
    line = next(line for line in email.body.splitlines() if "/contact/signaler/" in line)
    report = "/" + line.strip().split("://", 1)[1].split("/", 1)[1]
    response, seconds = timed(lambda: client.post(report, {"comment": HUGE}))
    assert seconds < AT_ONCE
    assert response.status_code == 400
    assert TOO_LONG in field_error(response.content.decode(), "comment")


def test_a_contact_block_of_a_page_id_past_the_integer_range_is_404(client):
    url = reverse("profiles_module:contact_block", args=[99999999999999999999, uuid.uuid4()])
    assert client.post(url, {"sender_name": "Sacha"}).status_code == 404


# --- the map page and the API


@pytest.mark.parametrize("field", ["q", "commune"])
def test_a_megabyte_in_the_map_search_is_refused_at_once(client, map_page, field):
    make_profile(public_name="Camille")
    response, seconds = timed(lambda: client.get(map_page.url, {field: HUGE, "kind": "household"}))
    assert seconds < AT_ONCE
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_LONG in field_error(html, field)
    assert "Camille" in html  # the search goes on without it
    assert re.search(r'<input[^>]*name="kind"[^>]*value="household"[^>]*checked', html)


API = "/futurs-voisins/api/v1/profiles/"
GEOJSON = "/futurs-voisins/api/v1/profiles.geojson"
MAP = "/futurs-voisins/api/v1/profiles/map/"


@pytest.mark.parametrize("field", ["q", "commune"])
def test_a_megabyte_in_an_api_filter_is_a_400_at_once(client, field):
    response, seconds = timed(lambda: client.get(API, {field: HUGE}))
    assert seconds < AT_ONCE
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("path", "param", "value"),
    [
        (API, "page_size", "²"),
        (API, "page_size", "٣"),
        (API, "page_size", "99999999999999999999"),
        (API, "page_id", "²"),
        (API, "page_id", "99999999999999999999"),
        (API, "page_id", "٣"),
        (API, "page", "²"),
        (GEOJSON, "page_size", "²"),
        (GEOJSON, "page_id", "99999999999999999999"),
        (MAP, "zoom", "²"),
        (MAP, "zoom", "٣"),
        (MAP, "zoom", "99999999999999999999"),
        (MAP, "page_id", "²"),
        (MAP, "page_id", "99999999999999999999"),
        (MAP, "page_id", "1" * 5000),
    ],
)
def test_odd_digits_and_huge_numbers_are_a_400_in_json(client, path, param, value):
    make_profile()
    response = client.get(path, {param: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "٤٢٢١٨"])
def test_odd_digits_in_the_map_page_are_a_message(client, map_page, value):
    make_profile(public_name="Camille")
    for params in ({"commune": value}, {"page": value}, {"page_id": value}):
        response = client.get(map_page.url, params)
        assert response.status_code == 200
        assert "Camille" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
def test_a_sector_id_that_is_not_one_is_an_error_in_the_owners_edit_form(owner, value):
    response = owner.post(
        reverse("profiles_module:manage_edit"), edit_data(owner.profile, **{"sectors-0-id": value})
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert owner.profile.sectors.count() == 1
