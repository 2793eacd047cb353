"""The health endpoint a load balancer or a monitor polls: the database, the cache and the
task queue, each with what it answers, and 503 as soon as one does not."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache():
    # A key of its own, so that a cache that answers nothing (or another value) fails.
    value = timezone.now().isoformat()
    cache.set("health:probe", value, 30)
    if cache.get("health:probe") != value:
        raise RuntimeError("the cache did not return what was stored")
    return {}


def check_tasks():
    """The database queue's waiting tasks and the age of the oldest, in seconds: a worker
    that stopped shows as an age that grows (the queue table exists on every backend)."""
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    return {
        "ready": DBTaskResult.objects.ready().count(),
        "oldest_ready_seconds": (
            round((timezone.now() - oldest.enqueued_at).total_seconds()) if oldest else 0
        ),
    }


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


@require_GET
@never_cache
def health(request):
    """{"status": "ok"|"failing", each check: {"ok": bool, …}}; 200, or 503 on a failure.
    No exception text in the answer: it could name a host or a user."""
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            report[name] = {"ok": True, **check()}
        except Exception:  # noqa: BLE001 (any failure of a dependency is reported, not raised)
            report[name] = {"ok": False}
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **report}, status=200 if healthy else 503
    )
