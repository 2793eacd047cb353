"""The scheduled pass, run by the `run_lifecycle` task and command: every site's fiches
through their lifecycle, the alerts' digests, the owners' emails of new suggestions, then
the contact relay's erasures, the outbox's retries, the end of every other personal
value's retention, and the daily import of the projects."""

from collections import Counter
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from wagtail.models import Site

from profiles_module.alerts.emails import erase_unconfirmed_alerts, send_digests
from profiles_module.contact.retention import (
    erase_contact_bodies,
    erase_report_comments,
    erase_unverified_contacts,
    forget_senders,
)
from profiles_module.projects.tasks import enqueue_if_due as enqueue_projects_import
from profiles_module.publication.emails import purge_outbox, retry_due
from profiles_module.publication.lifecycle import run_for_site
from profiles_module.publication.suggestions import send_due as send_due_suggestions
from profiles_module.publication.tokens import purge_expired_tokens


def run(now=None):
    """One pass of the lifecycle over every site; idempotent. Returns what it did."""
    now = now or timezone.now()
    done = Counter()
    for site in Site.objects.all():
        run_for_site(site, now, done)
    # Before the retries, so that the digests leave in this same pass.
    done["alert_digests_sent"] = send_digests(now)
    done["alerts_unconfirmed_erased"] = erase_unconfirmed_alerts(now)
    # After the lifecycle: a fiche hidden in this pass is neither suggested nor emailed.
    done["suggestion_emails"] = send_due_suggestions(now)
    # Before the retries: an email whose message text is erased is abandoned, not sent.
    done["contact_bodies_erased"] = erase_contact_bodies(now)
    done["emails_enqueued"] = retry_due(now)
    done["outbox_purged"] = purge_outbox(now)
    done["contact_unverified_erased"] = erase_unverified_contacts(now)
    done["contact_senders_forgotten"] = forget_senders(now)
    done["report_comments_erased"] = erase_report_comments(now)
    done["access_tokens_purged"] = purge_expired_tokens(now)
    # Owners' sessions name their fiche; Django leaves expired rows to a cron job.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    # Once a day, the projects of the national database (a task of its own).
    done["projects_imports_enqueued"] = enqueue_projects_import(now)
    return dict(done)
