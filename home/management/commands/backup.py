"""manage.py backup FILE: the database and the uploaded files in one archive."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Write the database and MEDIA_ROOT to one .tar.gz archive, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file to write")

    def handle(self, *args, archive, **options):
        try:
            found = backup.create(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in found["tables"].values())
        self.stdout.write(
            f"{archive}: {len(found['tables'])} tables, {rows} rows, "
            f"{len(found['media'])} files ({found['engine']})."
        )
