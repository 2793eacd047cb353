"""Signal handlers of the partners, connected in AppConfig.ready()."""

from django.db.models import signals
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from profiles_module.models import Partner, Profile, TerritoryApprovalTask
from profiles_module.models.partners import editor_can_see, forget_partners


def let_partner_editors_moderate(sender, instance, **kwargs):
    """A partner's editors moderate the fiches of its territory: its group joins every
    TerritoryApprovalTask (which limits each member to the territory)."""
    if instance.group_id:
        for task in TerritoryApprovalTask.objects.all():
            task.groups.add(instance.group_id)


class TerritorySubmissionEmailNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's "submitted for moderation" emails to the groups of an approval task,
    where a partner editor hears only of the fiches of their territory (whatever the
    task: a partner's group may also sit in a plain group approval task). National
    editors and superusers hear of every one, as before."""

    def get_recipient_users(self, task_state, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        obj = task_state.workflow_state.content_object
        if not isinstance(obj, Profile):
            return recipients
        return {user for user in recipients if editor_can_see(user, obj)}


# The dispatch_uid Wagtail connects its notifier with (wagtail/admin/signal_handlers.py).
WAGTAIL_SUBMISSION_EMAILS = "group_approval_task_submitted_email_notification"


def send_submission_emails_by_territory():
    """Put TerritorySubmissionEmailNotifier in the place of Wagtail's notifier, before or
    after Wagtail's admin connects its own: with the same dispatch_uid, whichever comes
    second is dropped or replaced, so exactly one email goes to each recipient."""
    task_submitted.disconnect(sender=TaskState, dispatch_uid=WAGTAIL_SUBMISSION_EMAILS)
    task_submitted.connect(
        TerritorySubmissionEmailNotifier(),
        sender=TaskState,
        dispatch_uid=WAGTAIL_SUBMISSION_EMAILS,
        weak=False,
    )


def connect():
    send_submission_emails_by_territory()
    signals.post_save.connect(
        let_partner_editors_moderate, sender=Partner, dispatch_uid="fv_partner_moderators"
    )
    # Partners are cached (cached_partners): any change to one, or to its territory,
    # clears the cache.
    for name, signal in (("save", signals.post_save), ("delete", signals.post_delete)):
        signal.connect(forget_partners, sender=Partner, dispatch_uid=f"fv_forget_partner_{name}")
    for through in (Partner.regions.through, Partner.departements.through):
        signals.m2m_changed.connect(
            forget_partners, sender=through, dispatch_uid=f"fv_forget_{through.__name__}"
        )
