"""The projects where people meet them: the fiche forms (with and without JavaScript),
the fiche page, the projects page, the map's layer, the admin and the schedule."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from profiles_module import schedule
from profiles_module.models import Profile, Project, ProjectImport
from profiles_module.projects.importer import import_projects
from tests.factories import (
    edit_form_data,
    make_member,
    make_profile,
    manage_link,
    publish_form_data,
)
from tests.projects.conftest import answer, entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(tmp_path):
    path = tmp_path / "projets.json"
    path.write_bytes(
        answer(
            entry("LesToits", "Les Toits partagés"),
            entry(
                "LaGrange",
                "La Grange",
                bf_ville="Vannes",
                bf_code_postal="56000",
                bf_latitude="47.66",
                bf_longitude="-2.76",
            ),
            entry(
                "SansPoint",
                "Projet sans point",
                bf_ville="",
                bf_code_postal="",
                bf_latitude="",
                bf_longitude="",
            ),
        )
    )
    import_projects(path=path)
    return {p.bazar_id: p for p in Project.objects.all()}


# --- The publication form and the owner's edit form.


def test_without_javascript_a_typed_name_is_resolved_to_the_project(client, publish_page, projects):
    response = client.post(
        publish_page.url,
        publish_form_data(project_label="toits partagés", project_relation="member"),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(email="dominique@example.org")
    assert profile.project == projects["LesToits"]
    assert profile.project_relation == "member"


def test_with_javascript_the_chosen_id_is_sent(client, publish_page, projects):
    data = publish_form_data(
        project=str(projects["LaGrange"].pk),
        project_label=projects["LaGrange"].label,
        project_relation="interested",
    )
    assert client.post(publish_page.url, data).status_code == 302
    profile = Profile.objects.get(email="dominique@example.org")
    assert (profile.project, profile.project_relation) == (projects["LaGrange"], "interested")


def test_the_form_offers_the_box_and_the_suggestions_answer(client, publish_page, projects):
    html = client.get(publish_page.url).content.decode()
    assert 'name="project_label"' in html and 'name="project"' in html
    assert reverse("profiles_module:project_autocomplete") in html
    assert "Je fais partie de ce projet" in html and "Ce projet m’intéresse" in html
    suggestions = client.get(reverse("profiles_module:project_autocomplete"), {"q": "vannes"})
    assert suggestions.json()["results"] == [
        {"id": projects["LaGrange"].pk, "label": projects["LaGrange"].label}
    ]


def test_an_unknown_project_or_no_relation_is_an_error_by_the_field(client, publish_page, projects):
    response = client.post(publish_page.url, publish_form_data(project_label="Château imaginaire"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucun projet de la base nationale ne porte ce nom" in html
    assert 'value="Château imaginaire"' in html  # what was typed stays
    response = client.post(publish_page.url, publish_form_data(project_label="La Grange"))
    assert "Dites si vous faites partie de ce projet" in response.content.decode()
    assert not Profile.objects.exists()


def test_a_project_gone_from_the_database_cannot_be_chosen(client, publish_page, projects):
    Project.objects.filter(bazar_id="LaGrange").update(gone_at=timezone.now())
    data = publish_form_data(project=str(projects["LaGrange"].pk), project_relation="member")
    assert client.post(publish_page.url, data).status_code == 200
    assert not Profile.objects.exists()


def test_the_owner_links_the_fiche_and_its_page_shows_the_project(client, projects, projects_page):
    profile = make_profile(email="owner@example.org", public_name="Maëlle")
    profile.save_revision().publish()
    client.post(manage_link(profile))
    response = client.post(
        reverse("profiles_module:manage_edit"),
        edit_form_data(profile, project_label="Les Toits partagés", project_relation="member"),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.project == projects["LesToits"]
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "Je fais partie de ce projet" in html
    assert projects_page.project_url(projects["LesToits"]) in html
    # The project's page lists the fiche back.
    page = client.get(projects_page.project_url(projects["LesToits"])).content.decode()
    assert "Maëlle" in page and profile.get_absolute_url() in page
    # Gone from the national database: the fiche no longer points to it.
    Project.objects.filter(bazar_id="LesToits").update(gone_at=timezone.now())
    html = client.get(profile.get_absolute_url()).content.decode()
    assert "Je fais partie de ce projet" not in html and "Les Toits partagés" not in html


# --- The projects page and a project's page.


def test_a_project_page_lists_only_public_fiches_and_their_public_fields(
    client, projects, projects_page
):
    toits = projects["LesToits"]
    make_profile(
        public_name="Visible",
        email="visible-secret@example.org",
        project=toits,
        project_relation="member",
        presentation="Texte de présentation public",
    )
    make_profile(
        public_name="Brouillon",
        email="draft@example.org",
        live=False,
        project=toits,
        project_relation="interested",
    )
    make_profile(
        public_name="Ailleurs",
        email="other@example.org",
        project=projects["LaGrange"],
        project_relation="member",
    )
    response = client.get(projects_page.project_url(toits))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Visible" in html and "Je fais partie de ce projet" in html
    assert "Brouillon" not in html and "Ailleurs" not in html
    assert "@example.org" not in html
    assert "Texte de présentation" not in html
    assert toits.source_url in html


def test_the_projects_page_searches_by_name_and_commune(client, projects, projects_page):
    html = client.get(projects_page.url).content.decode()
    assert "Les Toits partagés" in html and "La Grange" in html and "3 projets" in html
    html = client.get(projects_page.url, {"q": "Vannes"}).content.decode()
    assert "La Grange" in html and "Les Toits partagés" not in html


def test_a_gone_project_has_no_page_and_leaves_the_list(client, projects, projects_page):
    Project.objects.filter(bazar_id="LaGrange").update(gone_at=timezone.now())
    assert client.get(projects_page.project_url(projects["LaGrange"])).status_code == 404
    assert "La Grange" not in client.get(projects_page.url).content.decode()
    assert client.get(projects_page.url + "NExistePas/").status_code == 404


# --- The map's layer.


def test_the_geojson_layer_has_current_projects_and_no_private_data(
    client, projects, projects_page
):
    make_profile(
        public_name="Camille",
        email="secret@example.org",
        project=projects["LesToits"],
        project_relation="member",
    )
    Project.objects.filter(bazar_id="LaGrange").update(gone_at=timezone.now())
    response = client.get(reverse("profiles_module:api_projects_geojson"))
    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert [f["properties"]["id"] for f in data["features"]] == ["LesToits"]  # with a point
    feature = data["features"][0]
    assert feature["geometry"]["coordinates"] == [4.39, 45.43]
    assert feature["properties"]["url"] == projects_page.project_url(projects["LesToits"])
    assert feature["properties"]["source_url"] == "https://projets.example.org/?LesToits"
    body = response.content.decode()
    assert "secret@" not in body and "Camille" not in body


def test_the_map_page_offers_the_layer_off_by_default(client, map_page, projects):
    html = client.get(map_page.url).content.decode()
    assert 'id="fv-projects-toggle"' in html and "Afficher les projets" in html
    assert 'type="checkbox" id="fv-projects-toggle">' in html  # not checked
    # The hook of projects-layer.js, which comes in the page's one script.
    assert "data-fv-projects" in html


def test_without_current_projects_the_map_page_offers_no_layer(client, map_page, projects):
    Project.objects.update(gone_at=timezone.now())
    html = client.get(map_page.url).content.decode()
    assert "fv-projects-toggle" not in html and "data-fv-projects" not in html


def test_the_layer_shows_at_once_after_the_first_import(client, map_page, tmp_path):
    # Browsers without cookies share one kept page of a search: it must follow imports.
    make_profile(tenure="rental")
    search = map_page.url + "?tenure=rental"
    assert "data-fv-projects" not in client.get(search).content.decode()
    path = tmp_path / "projets.json"
    path.write_bytes(answer(entry("LesToits", "Les Toits partagés")))
    import_projects(path=path)
    assert "data-fv-projects" in client.get(search).content.decode()


# --- The admin: read-only for everyone.


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_nobody_adds_changes_or_deletes_a_project_in_the_admin(client, projects, who, superuser):
    user = superuser if who == "superuser" else make_member(Group.objects.get(name="Editors"), "ed")
    client.force_login(user)
    project = projects["LesToits"]
    prefix = "wagtailsnippets_profiles_module_project"
    listing = client.get(reverse(f"{prefix}:list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Les Toits partagés" in html and project.source_url in html
    assert reverse(f"{prefix}:add") not in html
    assert reverse(f"{prefix}:edit", args=[project.pk]) not in html
    assert client.get(reverse(f"{prefix}:inspect", args=[project.pk])).status_code == 200
    found = client.get(reverse(f"{prefix}:list"), {"q": "Vannes"}).content.decode()
    assert "La Grange" in found and "Les Toits partagés" not in found
    for url in (
        reverse(f"{prefix}:add"),
        reverse(f"{prefix}:edit", args=[project.pk]),
        reverse(f"{prefix}:delete", args=[project.pk]),
    ):
        assert client.get(url).status_code in (302, 403)
        client.post(url, {"name": "Piraté", "bazar_id": "X"})
    assert Project.objects.get(pk=project.pk).name == "Les Toits partagés"
    assert Project.objects.count() == 3


def test_the_import_log_is_visible_in_the_admin(client, projects, superuser):
    client.force_login(superuser)
    import_projects(url="http://127.0.0.1:9/")
    html = client.get(reverse("wagtailsnippets_profiles_module_projectimport:list")).content
    assert "projets.json" in html.decode() and "127.0.0.1:9" in html.decode()


# --- The schedule and the setting.


def test_the_scheduled_pass_imports_once_a_day(source):
    source.body = answer(entry("LesToits", "Les Toits"))
    now = timezone.now()
    with override_settings(PROFILES_PROJECTS_SOURCE_URL=source.url):
        assert schedule.run(now)["projects_imports_enqueued"] == 1
        assert Project.objects.count() == 1
        assert schedule.run(now + timedelta(hours=12))["projects_imports_enqueued"] == 0
        ProjectImport.objects.update(started_at=now - timedelta(hours=24))
        assert schedule.run(now)["projects_imports_enqueued"] == 1
    assert source.requests == 2
    assert ProjectImport.objects.filter(status="done").count() == 2
    # No address set: no import.
    assert schedule.run(now + timedelta(days=3))["projects_imports_enqueued"] == 0


def test_a_wrong_source_address_fails_the_checks():
    from profiles_module.checks import check_settings

    assert check_settings(None) == []
    with override_settings(PROFILES_PROJECTS_SOURCE_URL="ftp://example.org/"):
        assert [error.id for error in check_settings(None)] == ["profiles_module.E005"]
    with override_settings(PROFILES_PROJECTS_SOURCE_URL="https://projets.example.org/?api"):
        assert check_settings(None) == []


@pytest.mark.parametrize(
    "data",
    [
        {"project_label": "x" * 100_000},
        {"project_label": "<script>alert(1)</script>"},
        {"project": "99999999999999999999999", "project_relation": "member"},
        {"project": "1 OR 1=1", "project_relation": "member"},
        {"project_label": "La Grange", "project_relation": "owner\r\nBcc: x@example.org"},
    ],
)
def test_hostile_text_in_the_project_box_is_a_field_error(client, publish_page, projects, data):
    response = client.post(publish_page.url, publish_form_data(**data))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "x" * 101 not in html  # cut before anything else looks at it
    assert not Profile.objects.exists()


def test_the_suggestions_survive_hostile_queries(client, projects):
    url = reverse("profiles_module:project_autocomplete")
    for query in ["x" * 100_000, "%%", "__", "' OR 1=1 --", "x\x00y", "a"]:
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert response.json()["results"] == []
