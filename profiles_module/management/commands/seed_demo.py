"""`manage.py seed_demo`: fictitious households for demos and load tests."""

import secrets
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from profiles_module.demo.profiles import SeedAlreadyUsed, create_demo_profiles, default_jobs
from profiles_module.models import Commune, Profile

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Add fictitious but plausible household profiles spread over French communes, "
        "for demos and load tests. The same --seed and --reference-date give the same profiles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profiles", type=int, required=True, metavar="N", help="How many profiles to add."
        )
        parser.add_argument(
            "--seed",
            type=int,
            help="Seed of the random generator (default: a new one, printed at the end).",
        )
        parser.add_argument(
            "--reference-date",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Profiles are dated over the two years before this day (default: today).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds a profile.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            help="Processes inserting in parallel (default: one per CPU, up to 4, on "
            "PostgreSQL; always 1 on SQLite).",
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Skip the search index (run `python manage.py update_index` later).",
        )

    def handle(self, *args, profiles, seed, reference_date, jobs, if_empty, no_index, **options):
        if profiles < 0:
            raise CommandError("--profiles must be zero or more.")
        if if_empty and Profile.objects.exists():
            self.stdout.write("Profiles already exist: no demo profile added.")
            return
        if not Commune.objects.filter(population__gt=0).exists():
            raise CommandError(
                "No commune in the database. Run python manage.py load_geography first."
            )
        if seed is None:
            seed = secrets.randbelow(10**9)
        if seed < 0:
            raise CommandError("--seed must be zero or more.")
        if jobs is not None and jobs < 1:
            raise CommandError("--jobs must be 1 or more.")
        # The UTC day: its midnight is never in the future, whatever the time zone.
        reference_date = reference_date or timezone.now().date()
        show_progress = options["verbosity"] > 0
        started = time.monotonic()

        def progress(done, total):
            if show_progress:
                filled = BAR_WIDTH * done // total
                bar = "#" * filled + " " * (BAR_WIDTH - filled)
                # Plain text: stderr is styled as errors (red) in a terminal otherwise.
                line = f"\r[{bar}] {done}/{total} profiles"
                self.stderr.write(line, style_func=str, ending="")
                self.stderr.flush()

        try:
            created = create_demo_profiles(
                profiles,
                seed=seed,
                reference_date=reference_date,
                index=not no_index,
                jobs=jobs or default_jobs(),
                progress=progress,
            )
        except SeedAlreadyUsed:
            raise CommandError(
                f"The profiles of seed {seed} are already in the database: "
                "choose another --seed, or leave it out for a new one."
            ) from None
        finally:
            if show_progress and profiles:
                self.stderr.write("")
        if created:
            # Fresh planner statistics after a bulk insert. SQLite never gathers them on its
            # own, and without them it reads the free-text search's FTS table in the worst
            # order (seconds instead of milliseconds for 20,000 profiles).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        index_note = " (not indexed for search)" if no_index else ""
        self.stdout.write(
            f"Added {created} demo profiles{index_note} in {elapsed:.1f} s "
            f"(--seed {seed} --reference-date {reference_date.isoformat()})."
        )
