"""Production serves static files through ManifestStaticFilesStorage: a file that names
another one missing (a source map a vendored script points to) fails collectstatic,
and without the manifest every page of the site answers 500."""

from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_collectstatic_builds_the_manifest_of_every_static_file(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("profiles_module/vendor/leaflet-1.9.4/leaflet.*.js"))
