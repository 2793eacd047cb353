"""`manage.py load_geography`: the French communes, départements and régions shipped
with the app, loaded (or updated) into the database."""

from django.core.management.base import BaseCommand

from profiles_module.geography.loader import load_geography


class Command(BaseCommand):
    help = "Load French régions, départements and communes shipped with the app (idempotent)."

    def handle(self, *args, **options):
        for name, (created, updated) in load_geography().items():
            self.stdout.write(f"{name}: {created} created, {updated} updated")
