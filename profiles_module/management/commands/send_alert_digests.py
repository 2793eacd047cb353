"""Send the search alerts' digests that are due now (the scheduled pass does it too)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from profiles_module.alerts.emails import send_digests


class Command(BaseCommand):
    help = (
        "Email each confirmed search alert whose day or week has passed the fiches "
        "published since its last digest (nothing when there is nothing new). Idempotent."
    )

    def handle(self, *args, **options):
        sent = send_digests(timezone.now())
        self.stdout.write(f"Alert digests queued: {sent}.")
