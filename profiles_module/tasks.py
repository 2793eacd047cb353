"""Django tasks of the app: run by `manage.py db_worker` in production, immediately in tests.

Each task lives next to the code it runs; this module keeps the paths that queued tasks
were stored under (a database queue holds `profiles_module.tasks.<name>` rows written
before the tasks moved), and the scheduled pass that spans several features.
"""

from django.tasks import task

from profiles_module import schedule
from profiles_module.projects.tasks import import_projects_task
from profiles_module.publication.emails import send_email
from profiles_module.publication.lifecycle import request_updates

__all__ = ["import_projects_task", "request_updates", "run_lifecycle", "send_email"]


@task
def run_lifecycle():
    """Reminders, hiding, erasure and the outbox's due messages: see schedule.run."""
    return schedule.run()
