"""The projects in the Wagtail admin: read-only snippets, and the log of the imports.

The national database is where a project is written; here an editor may look, search and
follow the link back, never add, change or delete (the next import would undo it).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from profiles_module.models import Project, ProjectImport


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing for every user of the admin; adding, changing and deleting for nobody,
    superusers included: the imports write these rows."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.has_perm("wagtailadmin.access_admin")

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


class SourceLinkColumn(Column):
    """The link back to the project's page in the national database."""

    cell_template_name = "profiles_module/admin/source_link_cell.html"


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "home"
    menu_label = _("Projects")
    url_prefix = "projets"
    inspect_view_enabled = True
    list_display = [
        "name",
        "kind",
        "status",
        "commune_name",
        "postal_code",
        SourceLinkColumn("source_url", label=_("National database")),
        DateColumn("gone_at", label=_("Gone on")),
    ]
    list_filter = ["status", "kind"]
    # Not an indexed model: the listing's search filters these columns in the database.
    search_fields = ["name", "commune_name", "postal_code", "bazar_id"]
    search_backend_name = None
    inspect_view_fields = [
        "name",
        "bazar_id",
        "kind",
        "status",
        "commune_name",
        "postal_code",
        "commune",
        "latitude",
        "longitude",
        "source_url",
        "source_updated_at",
        "imported_at",
        "changed_at",
        "gone_at",
    ]


class ProjectImportViewSet(SnippetViewSet):
    model = ProjectImport
    icon = "history"
    menu_label = _("Import log")
    url_prefix = "projets-imports"
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "source",
        "created",
        "updated",
        "unchanged",
        "removed",
        "skipped",
        "error",
    ]
    list_filter = ["status"]
    inspect_view_fields = [
        "started_at",
        "finished_at",
        "source",
        "status",
        "created",
        "updated",
        "unchanged",
        "removed",
        "skipped",
        "skipped_ids",
        "error",
    ]


class ProjectsViewSetGroup(SnippetViewSetGroup):
    items = (ProjectViewSet, ProjectImportViewSet)
    menu_icon = "home"
    menu_label = _("National projects")
    menu_name = "national-projects"
