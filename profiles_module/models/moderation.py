"""Moderation of the fiches in Wagtail's workflow, limited to the moderator's territory."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from .partners import editor_can_see, editor_territory, scope_to_editor
from .profiles import Profile


class TerritoryApprovalTask(AbstractGroupApprovalTask):
    """Approval by the chosen groups, where a partner editor acts only on the fiches of
    their partner's territory and is shown only those in the dashboard (see
    permissions.py). Every partner's group is added to these tasks when it is created.

    Use it in a workflow for the household profiles only: partner editors are meant to
    moderate fiches, not pages."""

    def _can_moderate(self, obj, user):
        return not hasattr(obj, "sectors") or editor_can_see(user, obj)

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self._can_moderate(obj, user)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or not self._can_moderate(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and self._can_moderate(obj, user)

    def get_actions(self, obj, user):
        return super().get_actions(obj, user) if self._can_moderate(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if editor_territory(user) is None:
            return states
        visible = scope_to_editor(Profile.objects.all(), user).values(
            key=Cast("pk", output_field=CharField())
        )
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Profile),
            workflow_state__object_id__in=visible,
        )

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve; editors of a partner association only "
            "the profiles of its territory"
        )

    class Meta:
        verbose_name = _("Approval by territory")
        verbose_name_plural = _("Approvals by territory")
