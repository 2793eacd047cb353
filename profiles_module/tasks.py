"""Django tasks: run by `manage.py db_worker` in production, immediately in tests."""

from django.tasks import task


@task
def send_email(message_id):
    """Send one message of the outbox (retries are scheduled by `emails.deliver`)."""
    from profiles_module.publication.emails import deliver

    return deliver(message_id)


@task
def run_lifecycle():
    """Reminders, hiding, erasure and the outbox's due messages: see lifecycle.run."""
    from profiles_module.publication.lifecycle import run

    return run()


@task
def request_updates(profile_ids, user_id=None):
    """The admin bulk action "ask to update", sent from the queue."""
    from profiles_module.publication.lifecycle import request_update

    from .models import Profile

    sent = 0
    for profile in Profile.objects.filter(pk__in=profile_ids):
        sent += bool(request_update(profile))
    return sent
