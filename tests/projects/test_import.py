"""The import of the projects: idempotent, updates and removals, and every failure
leaving a clear log entry and the projects as they were."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from profiles_module.models import Project, ProjectImport
from profiles_module.projects.importer import import_projects
from tests.projects.conftest import answer, entry

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Project.objects.order_by("bazar_id").values())


def test_a_second_import_of_the_same_data_changes_nothing(source):
    source.body = answer(entry("LesToits", "Les Toits"), entry("LaGrange", "La Grange"))
    first = import_projects(url=source.url)
    assert (first.status, first.created, first.updated, first.unchanged) == ("done", 2, 0, 0)
    rows = snapshot()

    second = import_projects(url=source.url)
    assert (second.created, second.updated, second.unchanged, second.removed) == (0, 0, 2, 0)
    assert snapshot() == rows
    assert ProjectImport.objects.count() == 2


def test_the_fields_of_an_entry_are_mapped_and_the_commune_found(source):
    source.body = answer(entry("LesToits", "Les Toits"))
    import_projects(url=source.url)
    project = Project.objects.get(bazar_id="LesToits")
    assert project.name == "Les Toits"
    assert project.kind == "Construction neuve"
    assert project.status == "En recherche de membres"
    assert project.commune.insee_code == "42218"
    assert (project.latitude, project.longitude) == (45.43, 4.39)
    assert project.source_url == "https://projets.example.org/?LesToits"
    assert project.source_updated_at.year == 2025


def test_missing_fields_are_tolerated_and_the_commune_gives_the_point(source):
    bare = {
        "id_fiche": "Bare",
        "bf_titre": "Projet sans détails",
        "bf_code_postal": "42000",
        "bf_ville": "Saint-Etienne",
        "checkboxListeTypeProjet": "neuf,senior",
    }
    source.body = json.dumps([bare]).encode()  # a list of entries is accepted too
    log = import_projects(url=source.url)
    project = Project.objects.get(bazar_id="Bare")
    assert log.created == 1 and log.skipped == 0
    assert project.kind == "neuf, senior"
    assert project.status == "" and project.source_url == ""
    assert project.latitude == pytest.approx(project.commune.latitude, abs=1e-5)


def test_a_changed_entry_is_updated_and_a_missing_one_marked_gone(source):
    source.body = answer(entry("LesToits", "Les Toits"), entry("LaGrange", "La Grange"))
    import_projects(url=source.url)
    source.body = answer(entry("LesToits", "Les Toits partagés", listeListeEtatAvancement="Habité"))
    log = import_projects(url=source.url)
    assert (log.created, log.updated, log.unchanged, log.removed) == (0, 1, 0, 1)
    toits = Project.objects.get(bazar_id="LesToits")
    assert (toits.name, toits.status) == ("Les Toits partagés", "Habité")
    grange = Project.objects.get(bazar_id="LaGrange")
    assert grange.gone_at is not None
    assert list(Project.objects.current()) == [toits]

    # Back in the source: current again, counted as updated.
    source.body = answer(
        entry("LesToits", "Les Toits partagés", listeListeEtatAvancement="Habité"),
        entry("LaGrange", "La Grange"),
    )
    log = import_projects(url=source.url)
    assert (log.updated, log.unchanged, log.removed) == (1, 1, 0)
    assert Project.objects.current().count() == 2


def test_a_bad_entry_is_skipped_by_id_and_keeps_its_previous_version(source):
    source.body = answer(entry("LesToits", "Les Toits"), entry("LaGrange", "La Grange"))
    import_projects(url=source.url)
    source.body = answer(
        entry("LesToits", "Les Toits"),
        entry("LaGrange", "x" * 300),
        entry("Nouveau", "Nouveau projet"),
    )
    log = import_projects(url=source.url)
    assert (log.status, log.created, log.unchanged, log.skipped, log.removed) == (
        "done",
        1,
        1,
        1,
        0,
    )
    assert log.skipped_ids.startswith("LaGrange: ")
    grange = Project.objects.get(bazar_id="LaGrange")
    assert grange.name == "La Grange" and grange.gone_at is None


def assert_refused(log, words, rows):
    assert log.status == "failed"
    assert words in log.error
    assert (log.created, log.updated, log.unchanged, log.removed) == (0, 0, 0, 0)
    assert log.finished_at is not None
    assert snapshot() == rows
    assert ProjectImport.objects.filter(pk=log.pk).exists()


@pytest.fixture
def imported(source):
    source.body = answer(entry("LesToits", "Les Toits"), entry("LaGrange", "La Grange"))
    import_projects(url=source.url)
    return snapshot()


def test_an_http_error_is_logged_and_nothing_changes(source, imported):
    source.status, source.body = 500, b"<h1>Internal Server Error</h1>"
    assert_refused(import_projects(url=source.url), "erreur HTTP 500", imported)


def test_malformed_json_is_logged_and_nothing_changes(source, imported):
    source.body = answer(entry("Nouveau", "Nouveau"))[:-20]
    assert_refused(import_projects(url=source.url), "JSON", imported)
    source.body = b'"a string"'
    assert_refused(import_projects(url=source.url), "ni une liste", imported)


@override_settings(PROFILES_PROJECTS_TIMEOUT_SECONDS=1)
def test_a_source_too_slow_is_logged_and_nothing_changes(source, imported):
    source.delay = 3
    assert_refused(import_projects(url=source.url), "injoignable", imported)


@override_settings(PROFILES_PROJECTS_MAX_BYTES=2000)
def test_an_answer_too_large_is_refused(source, imported):
    source.body = answer(*(entry(f"P{n}", f"Projet {n}") for n in range(20)))
    assert_refused(import_projects(url=source.url), "dépasse 2000 octets", imported)


def test_an_unreachable_source_is_logged(imported):
    log = import_projects(url="http://127.0.0.1:9/?api/forms/1/entries")
    assert_refused(log, "injoignable", imported)


def test_an_empty_answer_does_not_mark_every_project_gone(source, imported):
    source.body = b"null"
    assert_refused(import_projects(url=source.url), "aucun projet lisible", imported)


def test_a_failure_at_the_last_step_rolls_back_what_was_written(source, imported, monkeypatch):
    # Created and updated, then marking LesToits gone fails: none of it may stay.
    source.body = answer(entry("LaGrange", "La Grange rénovée"), entry("Nouveau", "Nouveau"))
    from profiles_module.models.projects import ProjectQuerySet

    def disk_full(queryset, **values):
        raise OSError("disk full")

    monkeypatch.setattr(ProjectQuerySet, "update", disk_full)
    assert_refused(import_projects(url=source.url), "Erreur inattendue\u00a0: disk full", imported)
    assert not Project.objects.filter(bazar_id="Nouveau").exists()


def test_a_saved_file_imports_like_the_api(tmp_path, source):
    path = tmp_path / "projets.json"
    path.write_bytes(answer(entry("LesToits", "Les Toits")))
    call_command("import_projects", file=str(path))
    assert Project.objects.get().name == "Les Toits"
    # The same data from the API afterwards: unchanged.
    source.body = path.read_bytes()
    assert import_projects(url=source.url).unchanged == 1


def test_the_command_says_why_an_import_is_refused(tmp_path):
    path = tmp_path / "projets.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("import_projects", file=str(path))
    with pytest.raises(CommandError, match="No source"):
        call_command("import_projects")
    with pytest.raises(CommandError, match="http et https"):
        call_command("import_projects", url="file:///etc/passwd")


def test_the_demo_sample_imports_about_twenty_projects_over_france():
    from profiles_module.demo.projects import SAMPLE

    log = import_projects(path=SAMPLE)
    assert log.status == "done" and log.skipped == 0 and log.created >= 20
    departements = {p.postal_code[:2] for p in Project.objects.all()}
    assert len(departements) >= 15
    assert not Project.objects.filter(latitude__isnull=True).exists()
