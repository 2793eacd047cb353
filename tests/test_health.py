"""The health endpoint answers for the database, the cache and the task queue."""

from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def test_everything_answers(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True},
        "cache": {"ok": True},
        "tasks": {"ok": True, "ready": 0, "oldest_ready_seconds": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_waiting_task_shows_its_age(client, db):
    DBTaskResult.objects.create(
        task_path="profiles_module.tasks.run_lifecycle",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    tasks = client.get("/health/").json()["tasks"]
    assert tasks["ready"] == 1 and 590 <= tasks["oldest_ready_seconds"] <= 660


def test_a_failing_cache_answers_503_without_details(client, db):
    with mock.patch.object(cache, "get", side_effect=ConnectionError("redis://secret@host")):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing" and body["cache"] == {"ok": False}
    assert body["database"] == {"ok": True}
    assert "secret" not in response.content.decode()
