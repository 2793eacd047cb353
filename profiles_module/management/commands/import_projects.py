"""Import the projects of the national database now: from its JSON API or a saved file."""

from django.core.management.base import BaseCommand, CommandError

from profiles_module.conf import app_settings
from profiles_module.projects.importer import import_projects


class Command(BaseCommand):
    help = (
        "Import the projects of the national database (YesWiki Bazar JSON) from "
        "PROFILES_PROJECTS_SOURCE_URL, another --url, or a saved --file. Idempotent."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--file", help="A JSON answer saved from the Bazar API.")
        source.add_argument("--url", help="The Bazar API address (default: the setting).")

    def handle(self, *args, file=None, url=None, **options):
        if file is None and url is None:
            url = app_settings.PROJECTS_SOURCE_URL
            if not url:
                raise CommandError(
                    "No source: give --file or --url, or set PROFILES_PROJECTS_SOURCE_URL."
                )
        log = import_projects(url=url, path=file)
        if log.error:
            raise CommandError(f"Import refused, nothing changed: {log.error}")
        self.stdout.write(
            f"Projects imported from {log.source}: {log.created} created, {log.updated} "
            f"updated, {log.unchanged} unchanged, {log.removed} gone, {log.skipped} skipped."
        )
        if log.skipped_ids:
            self.stdout.write("Skipped entries:\n" + log.skipped_ids)
