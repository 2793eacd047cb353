"""Who may see and act on which fiches in the admin: national editors everywhere,
partner editors only in their association's territory.

A partner editor is a member of a partner's group (see Partner.group); their territory
is the union of the territories of their partners. Any other user with the model
permissions (a national editor) and superusers see every fiche.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from profiles_module.common.validators import whole_number
from profiles_module.models.partners import editor_territory, scope_to_editor


class TerritoryPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, and for partner editors only the objects of their
    territory (for instance checks: bulk actions, delete, preview, copy; and the object
    URLs, see guard_object_views). Fiches by default; a subclass names its own
    `scope(user, queryset)`, the objects of `queryset` the user may see."""

    @staticmethod
    def scope(user, queryset):
        return scope_to_editor(queryset, user)

    def can_see(self, user, instance):
        if editor_territory(user) is None:
            return True
        return self.scope(user, type(instance).objects.filter(pk=instance.pk)).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.can_see(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.can_see(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.scope(user, self.model.objects.all())

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        # Editors whose partners' territory misses the object are left out; they are
        # few, so this is done in Python.
        return users.filter(pk__in=[u.pk for u in users if self.can_see(u, instance)])


def _own_revision(obj, revision_id):
    # "live", "earliest", "latest" (compare view): the object's own, found from it.
    revision_id = whole_number(revision_id)
    if revision_id is None:
        return True
    return Revision.objects.for_instance(obj).filter(pk=revision_id).exists()


def _own_workflow_state(obj, workflow_state_id):
    return WorkflowState.objects.for_instance(obj).filter(pk=workflow_state_id).exists()


def _own_task_state(obj, task_state_id):
    # Wagtail's workflow action views act on the task state of the URL without checking
    # that it is the object's: a fiche of the territory would carry the approval of any
    # other fiche (or page).
    return TaskState.objects.filter(
        pk=task_state_id, workflow_state__in=WorkflowState.objects.for_instance(obj)
    ).exists()


# URL arguments naming a second object besides `pk`: each must be one of pk's own.
OWN_OBJECT_KWARGS = {
    "revision_id": _own_revision,
    "revision_id_a": _own_revision,
    "revision_id_b": _own_revision,
    "workflow_state_id": _own_workflow_state,
    "task_state_id": _own_task_state,
}
# URL arguments that name no object of a territory: an action's name, and a workflow
# task (shared by all the objects of the workflow; its view looks up the task state of
# `pk` itself).
NEUTRAL_KWARGS = {"pk", "action_name", "task_id"}


def guard_object_views(urlpatterns, model):
    """Wrap every admin view of one object (a `pk` in its URL) so that it answers 404
    when the object is outside the user's territory, or when another object named in the
    URL (a revision, a workflow or task state) is not that object's own. Done on the URLs
    rather than view by view, so that no view of a fiche (present or future Wagtail ones)
    is forgotten; a URL argument not known here stops the start-up rather than go
    unchecked. The model's registered TerritoryPermissionPolicy decides, in one query
    (none for users without a territory), plus one per other object named."""
    for pattern in urlpatterns:
        kwargs = set(pattern.pattern.regex.groupindex)
        unknown = kwargs - NEUTRAL_KWARGS - set(OWN_OBJECT_KWARGS)
        if unknown or (kwargs and "pk" not in kwargs):
            raise ImproperlyConfigured(
                f"{pattern.name}: URL arguments {sorted(unknown or kwargs)} of "
                f"{model.__name__} are not checked against the editor's territory."
            )
        if "pk" in kwargs:
            pattern.callback = _territory_guard(pattern.callback, model)
    return urlpatterns


def _territory_guard(view, model):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        same = model.objects.filter(pk=unquote(str(kwargs["pk"])))
        if editor_territory(request.user) is not None:
            # Looked up here: the policy may be registered after the viewset's URLs.
            policy = policy_registry.get_by_type(model)
            if not policy.scope(request.user, same).exists():
                raise Http404  # Outside the territory (or no such object: 404 anyway).
        others = {name: kwargs[name] for name in OWN_OBJECT_KWARGS if name in kwargs}
        if others:
            obj = same.first()
            if obj is None or not all(
                OWN_OBJECT_KWARGS[name](obj, value) for name, value in others.items()
            ):
                raise Http404  # Another object's revision or moderation.
        return view(request, *args, **kwargs)

    return guarded


class TerritoryBulkActionMixin:
    """For bulk actions on fiches: a partner editor's selection (ids, or "all") keeps
    only the fiches of their territory; the others are not even named on the page."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra.get("items_with_no_access", [])
        ids = [obj.pk for obj in [*objects, *refused]]
        visible = set(
            scope_to_editor(self.model.objects.filter(pk__in=ids), self.request.user).values_list(
                "pk", flat=True
            )
        )
        extra["items_with_no_access"] = [obj for obj in refused if obj.pk in visible]
        return [obj for obj in objects if obj.pk in visible], extra
