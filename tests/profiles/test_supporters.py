"""The supporters report ("Sympathisants"): only confirmed households that agreed to the
network's news, only the fields that consent covers, only for users trusted with private
details, and a partner editor only sees its territory's."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from profiles_module.models import Profile
from tests.factories import make_member, make_partner, make_profile
from tests.profiles.test_admin import export_rows, make_editor

pytestmark = pytest.mark.django_db

URL = reverse("profiles_module_supporters")


@pytest.fixture
def households():
    now = timezone.now()
    agreed = {"news_consent": True, "news_consent_at": now}
    make_profile(public_name="Ondine", email="ondine@example.org", **agreed)
    make_profile(
        public_name="Paulin", email="paulin@example.org", commune="75056", **agreed
    )  # Paris, outside the Loire
    make_profile(
        public_name="Basile", email="basile@example.org", awaiting_confirmation=True, **agreed
    )
    make_profile(public_name="Maëlle", email="maelle@example.org")  # no consent


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_export_holds_confirmed_subscribers_and_only_what_they_agreed_to(
    client, households, kind
):
    client.force_login(make_editor("national", private=True))
    rows = export_rows(client.get(URL, {"export": kind}), kind)
    header, data = rows[0], rows[1:]
    assert header == [
        "Nom public",
        "Adresse email",
        "Consentement aux actualités donné le",
        "Secteurs souhaités",
        "Partenaire",
    ]
    assert sorted((row[0], row[1]) for row in data) == [
        ("Ondine", "ondine@example.org"),
        ("Paulin", "paulin@example.org"),
    ]
    text = "\n".join("\t".join(row) for row in rows)
    for private in ("basile", "maelle", "Maëlle"):  # a draft, and no consent
        assert private not in text


def test_the_listing_shows_the_same_households(client, households):
    client.force_login(make_editor("national", private=True))
    html = client.get(URL).content.decode()
    assert "ondine@example.org" in html and "paulin@example.org" in html
    assert "basile@example.org" not in html and "maelle@example.org" not in html


def test_editors_without_private_details_get_neither_the_report_nor_its_menu_item(
    client, households
):
    client.force_login(make_editor("editor"))
    # Wagtail answers a refusal in the admin with a redirect to the dashboard.
    for response in (client.get(URL), client.get(URL, {"export": "csv"})):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_trusted_editors_find_it_under_reports(client, households):
    client.force_login(make_editor("national", private=True))
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_partner_editor_gets_its_territory_only(client, households):
    partner = make_partner()
    editor = make_member(partner.group, "loire")
    editor.groups.first().permissions.add(Permission.objects.get(codename="view_private_details"))
    client.force_login(editor)
    rows = export_rows(client.get(URL, {"export": "csv"}), "csv")
    assert [row[0] for row in rows[1:]] == ["Ondine"]
    assert Profile.objects.filter(news_consent=True, awaiting_confirmation=False).count() == 2
