"""Enqueue the lifecycle jobs: meant for cron or a systemd timer, e.g. every hour."""

from django.core.management.base import BaseCommand

from profiles_module.tasks import run_lifecycle


class Command(BaseCommand):
    help = (
        "Enqueue the profiles lifecycle (reminders, hiding, erasure, email retries). "
        "Idempotent: run it as often as you like (hourly is a good pace)."
    )

    def handle(self, *args, **options):
        result = run_lifecycle.enqueue()
        status = getattr(result.status, "value", result.status)
        self.stdout.write(f"Lifecycle enqueued ({result.id}, {status}).")
        if result.is_finished and result.return_value:
            for name, count in sorted(result.return_value.items()):
                self.stdout.write(f"  {name}: {count}")
