"""manage.py restore FILE: an archive of `manage.py backup` into an empty instance."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this empty instance (empty database, empty "
        "MEDIA_ROOT), then compare every table and file with the archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz file written by manage.py backup")

    def handle(self, *args, archive, **options):
        try:
            found, differences = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in found["tables"].values())
        for line in differences:
            self.stderr.write(line)
        self.stdout.write(
            f"Restored {len(found['tables'])} tables, {rows} rows, {len(found['media'])} "
            f"files: {len(differences)} differences with the backup's manifest."
        )
        if differences:
            raise CommandError("the restored instance differs from the backup (above)")
