"""The profiles admin (Wagtail snippet views): listing, filters, search, inspect, export, forms.

Private details (email, news consent) are only for editors holding
`profiles_module.view_private_details`: they must never show up elsewhere.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from profiles_module.models import Commune, Departement, Profile, ProfileOption, Region, Sector
from profiles_module.profiles.admin import PRIVATE_FIELDS
from profiles_module.wagtail_hooks import ProfileViewSet
from tests.factories import make_profile
from tests.helpers import admin_form_data as publish_form_data

URLS = "wagtailsnippets_profiles_module_profile"
EDITOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "profiles_module.add_profile",
    "profiles_module.change_profile",
    "profiles_module.view_profile",
    "profiles_module.publish_profile",
]
PRIVATE_PERMISSION = "profiles_module.view_private_details"


def url(name, *args, query=""):
    return reverse(f"{URLS}:{name}", args=args) + (f"?{query}" if query else "")


def make_editor(username, *, private=False):
    """A non-superuser admin user whose group may manage profiles (and see private details)."""
    names = EDITOR_PERMISSIONS + ([PRIVATE_PERMISSION] if private else [])
    group = Group.objects.create(name=f"{username} team")
    for name in names:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = get_user_model().objects.create_user(username, f"{username}@example.net", "pw")
    user.groups.add(group)
    assert user.has_perm(PRIVATE_PERMISSION) is private
    return user


@pytest.fixture
def editor(client):
    """A client signed in as an editor without access to private details."""
    client.force_login(make_editor("editor"))
    return client


@pytest.fixture
def private_editor(client):
    """A client signed in as an editor trusted with private details."""
    client.force_login(make_editor("national", private=True))
    return client


def listed(response):
    """Public names of the profiles on a listing page."""
    assert response.status_code == 200
    return {profile.public_name for profile in response.context["object_list"]}


@pytest.fixture
def profiles():
    """Four profiles in three départements (two régions) and of three kinds."""
    rhone = Departement.objects.get(code="69")
    ondine = make_profile(public_name="Ondine", commune="42218")  # Saint-Étienne (Loire)
    tilleuls = make_profile(public_name="Les Tilleuls", commune="69123", profile_kind="group")
    basile = make_profile(public_name="Basile", commune="75056", profile_kind="resident")
    maelle = make_profile(public_name="Maëlle", save=False)
    maelle.sectors = [Sector(kind=Sector.Kind.DEPARTEMENT, departement=rhone)]
    maelle.full_clean()
    maelle.save()
    return {p.public_name: p for p in (ondine, tilleuls, basile, maelle)}


# Listing, filters, search


@pytest.mark.django_db
def test_listing_shows_profiles_to_a_superuser(admin_client, profiles):
    response = admin_client.get(url("list"))
    assert listed(response) == set(profiles)
    content = response.content.decode()
    for name in ["Ondine", "Les Tilleuls", "Basile", "Maëlle"]:
        assert name in content


@pytest.mark.django_db
def test_listing_shows_profiles_to_an_editor(editor, profiles):
    assert listed(editor.get(url("list"))) == set(profiles)


@pytest.mark.django_db
def test_listing_is_closed_to_users_without_profile_permissions(client, profiles):
    user = get_user_model().objects.create_user("someone", "someone@example.net", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(url("list"))
    assert response.status_code in {302, 403}
    assert b"Ondine" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("profile_kind=group", {"Les Tilleuls"}),
        ("profile_kind=resident", {"Basile"}),
        ("profile_kind=household", {"Ondine", "Maëlle"}),
        ("profile_kind=resource", set()),
    ],
)
def test_filter_by_kind(admin_client, profiles, query, expected):
    assert listed(admin_client.get(url("list", query=query))) == expected


@pytest.mark.django_db
def test_filter_by_departement_matches_communes_and_departements(admin_client, profiles):
    rhone = Departement.objects.get(code="69")
    loire = Departement.objects.get(code="42")
    paris = Departement.objects.get(code="75")
    assert listed(admin_client.get(url("list", query=f"departement={rhone.pk}"))) == {
        "Les Tilleuls",
        "Maëlle",
    }
    assert listed(admin_client.get(url("list", query=f"departement={loire.pk}"))) == {"Ondine"}
    assert listed(admin_client.get(url("list", query=f"departement={paris.pk}"))) == {"Basile"}


@pytest.mark.django_db
def test_filter_by_region_and_combined_filters(admin_client, profiles):
    aura = Region.objects.get(code="84")  # Auvergne-Rhône-Alpes
    idf = Region.objects.get(code="11")  # Île-de-France
    assert listed(admin_client.get(url("list", query=f"region={aura.pk}"))) == {
        "Ondine",
        "Les Tilleuls",
        "Maëlle",
    }
    assert listed(admin_client.get(url("list", query=f"region={idf.pk}"))) == {"Basile"}
    query = f"region={aura.pk}&profile_kind=household"
    assert listed(admin_client.get(url("list", query=query))) == {"Ondine", "Maëlle"}


@pytest.mark.django_db
def test_a_profile_with_two_sectors_in_the_filtered_departement_is_listed_once(admin_client):
    profile = make_profile(public_name="Double", commune="69123", save=False)
    profile.sectors.add(
        Sector(kind=Sector.Kind.COMMUNE, commune=Commune.objects.get(insee_code="69266"))
    )  # Villeurbanne, also in the Rhône
    profile.full_clean()
    profile.save()
    rhone = Departement.objects.get(code="69")
    response = admin_client.get(url("list", query=f"departement={rhone.pk}"))
    assert [p.public_name for p in response.context["object_list"]] == ["Double"]


@pytest.mark.django_db
def test_search_by_public_name(admin_client, profiles):
    assert listed(admin_client.get(url("list", query="q=Ondine"))) == {"Ondine"}
    assert listed(admin_client.get(url("list", query="q=Tilleuls"))) == {"Les Tilleuls"}
    assert listed(admin_client.get(url("list", query="q=Nobody"))) == set()


# Inspect view


@pytest.mark.django_db
def test_inspect_hides_private_details_from_an_editor(editor, profiles):
    response = editor.get(url("inspect", profiles["Ondine"].pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ondine" in content
    assert "camille@example.org" not in content


@pytest.mark.django_db
def test_inspect_shows_private_details_to_a_trusted_editor(private_editor, profiles):
    response = private_editor.get(url("inspect", profiles["Ondine"].pk))
    assert response.status_code == 200
    assert "camille@example.org" in response.content.decode()


# Exports


def export_rows(response, kind):
    assert response.status_code == 200
    if kind == "csv":
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


def private_headings():
    """Export headings of the private columns, in the admin's language (French by default)."""
    with translation.override("fr"):
        return ["Adresse email (accord pour les nouvelles seulement)"] + [
            capfirst(str(Profile._meta.get_field(name).verbose_name))
            for name in PRIVATE_FIELDS
            if name != "email"
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_without_private_details(editor, profiles, kind):
    rows = export_rows(editor.get(url("list", query=f"export={kind}")), kind)
    header, data = rows[0], rows[1:]
    assert len(header) == len(ProfileViewSet.list_export)
    assert header[:2] == ["Identifiant", "Nom public"]
    assert {row[1] for row in data} == set(profiles)
    assert {row[0] for row in data} == {str(p.uid) for p in profiles.values()}
    text = "\n".join("\t".join(row) for row in rows)
    assert "Saint-Étienne, " in text  # the wished sectors
    assert "@" not in text  # no email address anywhere
    assert not set(private_headings()) & set(header)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_with_private_details(private_editor, profiles, kind):
    rows = export_rows(private_editor.get(url("list", query=f"export={kind}")), kind)
    header, data = rows[0], rows[1:]
    public = len(ProfileViewSet.list_export)
    assert header[public:] == private_headings()
    assert {row[1] for row in data} == set(profiles)
    # No address of anyone who did not agree to the news.
    assert {row[public] for row in data} == {""}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_gives_only_the_addresses_of_confirmed_news_subscribers(
    private_editor, profiles, kind
):
    now = timezone.now()
    Profile.objects.filter(pk=profiles["Ondine"].pk).update(
        email="ondine@example.org", news_consent=True, news_consent_at=now
    )
    Profile.objects.filter(pk=profiles["Basile"].pk).update(
        email="basile@example.org",
        news_consent=True,
        news_consent_at=now,
        awaiting_confirmation=True,
    )
    rows = export_rows(private_editor.get(url("list", query=f"export={kind}")), kind)
    public = len(ProfileViewSet.list_export)
    addresses = {row[1]: row[public] for row in rows[1:]}
    assert addresses == {
        "Ondine": "ondine@example.org",
        "Basile": "",
        "Les Tilleuls": "",
        "Maëlle": "",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_follows_the_filters(private_editor, profiles, kind):
    rows = export_rows(
        private_editor.get(url("list", query=f"export={kind}&profile_kind=group")), kind
    )
    assert len(rows) == 2
    assert "Les Tilleuls" in rows[1]


# Edit form and private fields


@pytest.mark.django_db
def test_edit_form_hides_private_fields_from_an_editor(editor, profiles):
    response = editor.get(url("edit", profiles["Ondine"].pk))
    assert response.status_code == 200
    data = publish_form_data(response)
    assert data["public_name"] == ["Ondine"]
    assert "email" not in data
    assert "news_consent_at" not in data
    assert "camille@example.org" not in response.content.decode()


@pytest.mark.django_db
def test_edit_form_shows_private_fields_to_a_trusted_editor(private_editor, profiles):
    response = private_editor.get(url("edit", profiles["Ondine"].pk))
    assert response.status_code == 200
    data = publish_form_data(response)
    assert data["email"] == ["camille@example.org"]
    assert "news_consent_at" in data


@pytest.mark.django_db
def test_an_editor_saving_a_profile_keeps_its_private_details(editor):
    consent_at = timezone.now() - timezone.timedelta(days=3)
    profile = make_profile(public_name="Ondine", news_consent=True, news_consent_at=consent_at)
    sectors_before = list(profile.sectors.values_list("kind", "commune_id", "radius_km"))
    data = publish_form_data(editor.get(url("edit", profile.pk)))
    data["public_name"] = ["Ondine R."]
    data["action-publish"] = ["action-publish"]

    response = editor.post(url("edit", profile.pk), data)

    assert response.status_code == 302, response.context["form"].errors
    profile.refresh_from_db()
    assert profile.public_name == "Ondine R."
    assert profile.live
    assert profile.email == "camille@example.org"
    assert profile.news_consent is True
    assert profile.news_consent_at == consent_at
    assert list(profile.sectors.values_list("kind", "commune_id", "radius_km")) == sectors_before


@pytest.mark.django_db
def test_an_editor_cannot_set_private_details_by_crafting_the_post(editor):
    profile = make_profile(public_name="Ondine")
    data = publish_form_data(editor.get(url("edit", profile.pk)))
    data |= {
        "email": ["intruder@example.org"],
        "news_consent": ["on"],
        "news_consent_at": ["2025-01-15 10:30"],
        "action-publish": ["action-publish"],
    }

    response = editor.post(url("edit", profile.pk), data)

    assert response.status_code == 302, response.context["form"].errors
    profile.refresh_from_db()
    assert profile.email == "camille@example.org"
    assert profile.news_consent is False
    assert profile.news_consent_at is None


@pytest.mark.django_db
def test_a_trusted_editor_can_change_the_email(private_editor, profiles):
    profile = profiles["Ondine"]
    data = publish_form_data(private_editor.get(url("edit", profile.pk)))
    data["email"] = ["ondine@example.org"]
    data["action-publish"] = ["action-publish"]

    response = private_editor.post(url("edit", profile.pk), data)

    assert response.status_code == 302, response.context["form"].errors
    profile.refresh_from_db()
    assert profile.email == "ondine@example.org"


# Adding a profile


@pytest.fixture
def add_data(admin_client):
    """What a superuser posts to create a valid household profile (one sector, Lyon)."""
    data = publish_form_data(admin_client.get(url("add")))
    data.update(
        profile_kind=["household"],
        public_name=["Ondine"],
        composition=["couple"],
        adults=["2"],
        children=["1"],
        email=["ondine@example.org"],
        publication_consent_at=["2025-01-15 10:30"],
    )
    data["sectors-0-kind"] = ["commune"]
    data["sectors-0-commune"] = [str(Commune.objects.get(insee_code="69123").pk)]
    data["sectors-0-radius_km"] = ["10"]
    assert data["sectors-TOTAL_FORMS"] == ["1"]
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [False, True], ids=["draft", "publish"])
def test_adding_a_valid_profile(admin_client, add_data, publish):
    if publish:
        add_data["action-publish"] = ["action-publish"]
    response = admin_client.post(url("add"), add_data)
    assert response.status_code == 302, response.context["form"].errors
    profile = Profile.objects.get()
    assert profile.public_name == "Ondine"
    assert profile.live is publish
    assert profile.sectors.get().commune.insee_code == "69123"
    assert profile.location  # placed on the sector's commune


BAD_INPUTS = {
    "markup in the name": ({"public_name": ["<script>alert(1)</script>"]}, "public_name"),
    "email in the name": ({"public_name": ["ondine@example.org"]}, "public_name"),
    "phone in the name": ({"public_name": ["Ondine 06 12 34 56 78"]}, "public_name"),
    "household without adult": ({"adults": ["0"]}, "adults"),
    "too many age bands": ({"adults": ["1"], "age_bands": ["u30", "30_44"]}, "age_bands"),
    "invalid email": ({"email": ["not an email"]}, "email"),
    "markup in the presentation": ({"presentation": ["<b>Hi</b>"]}, "presentation"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("publish", [False, True], ids=["draft", "publish"])
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_adding_a_profile_with_bad_input_fails(admin_client, add_data, case, publish):
    changes, field = BAD_INPUTS[case]
    add_data |= changes
    if publish:
        add_data["action-publish"] = ["action-publish"]
    response = admin_client.post(url("add"), add_data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_publishing_a_new_profile_without_sector_fails(admin_client, add_data):
    add_data["sectors-TOTAL_FORMS"] = ["0"]
    add_data["action-publish"] = ["action-publish"]
    response = admin_client.post(url("add"), add_data)
    assert response.status_code == 200
    assert response.context["form"].formsets["sectors"].non_form_errors()
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_a_sector_without_its_place_fails(admin_client, add_data):
    add_data["sectors-0-commune"] = [""]
    add_data["action-publish"] = ["action-publish"]
    response = admin_client.post(url("add"), add_data)
    assert response.status_code == 200
    assert response.context["form"].formsets["sectors"].errors[0]
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_a_draft_without_sector_is_kept_but_cannot_be_published(admin_client, add_data):
    # Wagtail defers "required" checks, formset minimums included, when saving a draft:
    # a draft without sector is accepted. It must never go live that way.
    add_data["sectors-TOTAL_FORMS"] = ["0"]
    assert admin_client.post(url("add"), add_data).status_code == 302
    profile = Profile.objects.get()
    assert not profile.live
    assert not profile.sectors.exists()

    data = publish_form_data(admin_client.get(url("edit", profile.pk)))
    data["sectors-TOTAL_FORMS"] = ["0"]  # the blank sector the form offers, left out
    data["action-publish"] = ["action-publish"]
    response = admin_client.post(url("edit", profile.pk), data)
    assert response.status_code == 200
    assert response.context["form"].formsets["sectors"].non_form_errors()
    profile.refresh_from_db()
    assert not profile.live


class TestProfileOptions:
    def delete_url(self, option):
        return reverse("wagtailsnippets_profiles_module_profileoption:delete", args=[option.pk])

    def test_an_option_in_use_cannot_be_deleted(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
        option = ProfileOption.objects.get(category="value", slug="ecology")
        profile = make_profile()
        profile.values.add(option)
        profile.save()
        response = client.post(self.delete_url(option), follow=True)
        assert ProfileOption.objects.filter(pk=option.pk).exists()
        assert list(Profile.objects.get(pk=profile.pk).values.all()) == [option]
        assert "1 fiche" in response.content.decode()

    def test_an_unused_option_can_be_deleted(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
        option = ProfileOption.objects.create(category="value", slug="music", label="musique")
        client.post(self.delete_url(option))
        assert not ProfileOption.objects.filter(pk=option.pk).exists()
