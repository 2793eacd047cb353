"""Measure the search alerts' digest pass and print the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fv_bench .venv/bin/python benchmarks/alerts.py

The database must be migrated and hold the geography and the profiles, e.g.
`manage.py load_geography` then `manage.py seed_demo --profiles 100000 --seed 1`, and a
map page (`manage.py setup_demo --profiles 0` makes one). The script saves --alerts
confirmed alerts over a mix of criteria, each last sent a week ago, runs the digest pass
once (emails rendered and stored in the outbox, sent to Django's in-memory mailbox), and
prints the time and the queries per alert (with Django's immediate task backend, as in
development, the time includes sending each digest); everything is rolled back.
Prints figures; asserts nothing about time.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")

QUERIES = [
    "departement=42",
    "region=84&tenure=cooperative",
    "commune=69123&km=20",
    "commune=44109&km=50&kind=household",
    "kind=group",
    "q=potager",
    "value=ecology&confirmed=6",
    "",
]


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=400)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import override_settings
    from django.utils import timezone
    from wagtail.models import Site

    from profiles_module.alerts.emails import due_alerts, send_digests
    from profiles_module.models import MapPage, OutgoingEmail, Profile, SearchAlert

    page = MapPage.objects.live().filter(regions__isnull=True).first()
    if page is None:
        sys.exit("No map page: run `manage.py setup_demo --profiles 0` first.")
    site = Site.objects.filter(is_default_site=True).first()
    now = timezone.now()
    mailbox = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    print(
        f"{connection.vendor}, {Profile.objects.public().count()} public fiches, "
        f"{Profile.objects.filter(first_published_at__gt=now - timedelta(days=7)).count()} "
        f"published this week, {args.alerts} weekly alerts due"
    )
    try:
        with transaction.atomic(), override_settings(MAILERS=mailbox):
            SearchAlert.objects.bulk_create(
                SearchAlert(
                    email=f"bench{number}@example.org",
                    page=page,
                    site=site,
                    query=QUERIES[number % len(QUERIES)],
                    frequency=SearchAlert.Frequency.WEEKLY,
                    confirmed_at=now - timedelta(days=30),
                    checked_until=now - timedelta(days=7, minutes=1),
                )
                for number in range(args.alerts)
            )
            emails_before = OutgoingEmail.objects.count()
            due = due_alerts(now).count()
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                sent = send_digests(now)
                elapsed = time.perf_counter() - start
            stored = OutgoingEmail.objects.count() - emails_before
            print(f"alerts due: {due}; digests: {sent} (outbox +{stored}), none: {due - sent}")
            print(f"pass: {elapsed:.2f} s, {1000 * elapsed / due:.1f} ms per alert")
            print(f"queries: {len(queries)}, {len(queries) / due:.1f} per alert")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
