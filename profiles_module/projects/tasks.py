"""The task importing the projects, enqueued by the scheduled pass once a day."""

from django.tasks import task

from profiles_module.conf import app_settings
from profiles_module.projects.importer import import_due, import_projects


@task
def import_projects_task():
    """Import from PROJECTS_SOURCE_URL; returns the counts (the log row has them too)."""
    log = import_projects(url=app_settings.PROJECTS_SOURCE_URL)
    return {
        "status": log.status,
        "created": log.created,
        "updated": log.updated,
        "unchanged": log.unchanged,
        "removed": log.removed,
        "skipped": log.skipped,
    }


def enqueue_if_due(now=None):
    """Enqueue the import when it is due (importer.import_due); 1 if enqueued, else 0.
    A task of its own, so that a slow national database never delays the lifecycle."""
    if not import_due(now):
        return 0
    import_projects_task.enqueue()
    return 1
