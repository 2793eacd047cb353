from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesModuleConfig(AppConfig):
    name = "profiles_module"
    label = "profiles_module"
    verbose_name = _("Futurs voisins")
    # Pinned so a host's DEFAULT_AUTO_FIELD never creates migrations in this app.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

        self.connect_lifecycle_signals()
        from .models.moderation import send_submission_emails_by_territory

        send_submission_emails_by_territory()

    def connect_lifecycle_signals(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import workflow_approved, workflow_rejected

        from .lifecycle import notify_moderation_result, scrub_profile_traces
        from .models import Profile

        post_delete.connect(scrub_profile_traces, sender=Profile, dispatch_uid="fv_scrub")
        workflow_approved.connect(
            lambda instance, **kw: notify_moderation_result(instance, approved=True),
            weak=False,
            dispatch_uid="fv_moderation_approved",
        )
        workflow_rejected.connect(
            lambda instance, **kw: notify_moderation_result(instance, approved=False),
            weak=False,
            dispatch_uid="fv_moderation_rejected",
        )
