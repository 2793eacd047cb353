"""Hostile text in every admin form editors use: a clear answer (saved, or an error next
to the field), never a server error; and what is stored is shown as text, never run
(tests/browser/test_hostile_rendering.py renders it in Chromium).

The corpus: script and markup injection, template syntax, CR/LF header injection, NUL
bytes, right-to-left and zero-width characters, SQL, a megabyte, invalid UTF-8.
"""

import pytest
from django.urls import reverse
from wagtail.models import Site

from profiles_module.models import LifecycleSettings, Profile, ProfileOption
from tests.factories import make_map_page, make_partner, make_profile
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

PWNED = "window.__pwned=1"
HOSTILE = {
    "script": f"<script>{PWNED}</script>",
    "attribute": f'"><img src=x onerror="{PWNED}">',
    "javascript url": f"javascript:{PWNED}",
    "template": "{{ request.user.password }}{% debug %}",
    "header injection": "Habitat\r\nBcc: victime@example.org\r\nSubject: pwned",
    "nul": "Habi\x00tat",
    "unicode": "\u202eetilibom\u200b\ufeff 𝕳𝖆𝖇𝖎𝖙𝖆𝖙 ﷽",
    "sql": "' OR 1=1; DROP TABLE profiles_module_profile; --",
    "megabyte": "A" * 1_000_000,
}


def profile_form(client):
    profile = make_profile(public_name="Stéphane")
    return reverse("wagtailsnippets_profiles_module_profile:edit", args=[profile.pk]), [
        "public_name",
        "presentation",
        "values_other",
        "email",
        "national_project_url",
        "sectors-0-commune_label",
    ]


def partner_form(client):
    partner = make_partner()
    return reverse("wagtailsnippets_profiles_module_partner:edit", args=[partner.pk]), [
        "name",
        "slug",
        "contact_email",
        "allowed_origins",
        "colour",
    ]


def option_form(client):
    option = ProfileOption.objects.first()
    return reverse("wagtailsnippets_profiles_module_profileoption:edit", args=[option.pk]), [
        "label",
        "label_en",
        "slug",
    ]


def lifecycle_form(client):
    site = Site.objects.get(is_default_site=True)
    url = reverse(
        "wagtailsettings:edit",
        args=[LifecycleSettings._meta.app_label, LifecycleSettings._meta.model_name, site.pk],
    )
    return url, ["unconfirmed_days", "erase_months", "update_request_interval_days"]


def map_page_form(client):
    page = make_map_page()
    return reverse("wagtailadmin_pages:edit", args=[page.pk]), [
        "title",
        "slug",
        "seo_title",
        "search_description",
        "introduction",  # rich text: the editor's JSON, here not JSON at all
    ]


FORMS = {
    "profile": profile_form,
    "partner": partner_form,
    "option": option_form,
    "lifecycle settings": lifecycle_form,
    "map page": map_page_form,
}
FORM_IDS = {"map page": "page-edit-form"}


def hostile_posts(client, form):
    """(field, payload, response) of each field of the form set to each payload, the
    other fields as a browser would send them."""
    url, fields = FORMS[form](client)
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page, FORM_IDS.get(form, "w-editor-form"))
    for field in fields:
        assert field in data, (form, field, sorted(data))
        for name, payload in HOSTILE.items():
            yield field, name, client.post(url, {**data, field: payload})


@pytest.mark.parametrize("form", FORMS)
def test_every_admin_form_answers_hostile_text_clearly(admin_client, form):
    failures = []
    for field, payload, response in hostile_posts(admin_client, form):
        # Saved (a redirect), or refused with the form shown again (200).
        if response.status_code not in {200, 302}:
            failures.append((field, payload, response.status_code))
        if response.status_code == 200:
            html = response.content.decode()
            assert "<script>window.__pwned" not in html
            assert 'onerror="window.__pwned' not in html
    assert failures == []


@pytest.mark.parametrize("form", FORMS)
def test_invalid_utf8_in_an_admin_form_is_a_clear_answer(admin_client, form):
    url, fields = FORMS[form](admin_client)
    data = admin_form_data(admin_client.get(url), FORM_IDS.get(form, "w-editor-form"))
    body = "&".join(
        f"{name}={value}" for name, values in data.items() for value in values if name != fields[0]
    )
    body = body.encode() + b"&" + fields[0].encode() + b"=Habitat%FF%FE%C3"
    response = admin_client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 302}


def test_header_injection_never_reaches_an_address_field(admin_client):
    url, _ = profile_form(admin_client)
    data = admin_form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, "email": HOSTILE["header injection"]})
    assert response.status_code == 200  # refused, shown next to the field
    assert "email" in response.context["form"].errors
    assert not Profile.objects.filter(email__contains="\n").exists()
