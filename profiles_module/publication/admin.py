"""Admin pieces of the lifecycle: the events panel of a profile and the bulk action
"ask to update". Registered in wagtail_hooks.py."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import Panel
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from profiles_module.conf import app_settings
from profiles_module.models import Profile, ProfileEvent
from profiles_module.partners.permissions import TerritoryBulkActionMixin
from profiles_module.publication.emails import render_email
from profiles_module.publication.lifecycle import request_updates, settings_for


class ProfileEventsPanel(Panel):
    """What happened to the profile and which emails it was sent (read-only)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "profiles_module/admin/events_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            profile = self.instance
            context["profile"] = profile
            context["events"] = (
                ProfileEvent.objects.filter(profile_uid=profile.uid)[:300] if profile.pk else []
            )
            return context


class AskToUpdateBulkAction(TerritoryBulkActionMixin, SnippetBulkAction):
    display_name = _("Ask to update")
    action_type = "ask_to_update"
    aria_label = _("Ask the selected households to update their profile")
    template_name = "profiles_module/admin/bulk_ask_to_update.html"
    action_priority = 50
    models = [Profile]

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profiles = [item["item"] for item in context["items"]]
        now = timezone.now()
        skipped = []
        for profile in profiles:
            interval = timedelta(days=settings_for(profile).update_request_interval_days)
            recent = profile.update_requested_at and profile.update_requested_at > now - interval
            if recent or profile.awaiting_confirmation:
                skipped.append(profile)
        context["skipped"] = skipped
        context["preview"] = self.preview(profiles[0] if profiles else None)
        return context

    def preview(self, profile):
        """The email as the first selected household would get it (links shown as …)."""
        sample = {
            "profile": profile,
            "site_name": "Futurs voisins",
            "manage_url": "https://…",
            "still_looking_url": "https://…",
            "manage_link_days": app_settings.MANAGE_LINK_DAYS,
        }
        language = (profile.language if profile else "") or settings.LANGUAGE_CODE
        subject, text, _html = render_email("update_request", sample, language)
        return {"subject": subject, "text": text}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        request_updates.enqueue([profile.pk for profile in objects])
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Update request queued for %(count)d profile (skipped if asked recently).",
            "Update requests queued for %(count)d profiles (skipped if asked recently).",
            num_parent_objects,
        ) % {"count": num_parent_objects}
