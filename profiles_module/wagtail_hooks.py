"""Registrations with the Wagtail admin, and nothing else: the viewsets, bulk actions,
reports and permissions of each feature are defined in its own admin module."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from profiles_module.contact.admin import AbuseReportViewSet
from profiles_module.contact.stats import ContactStatisticsMenuItem, ContactStatisticsView
from profiles_module.partners.admin import PartnerViewSet, TerritoryDashboardPanel
from profiles_module.partners.permissions import (
    TerritoryPermissionPolicy,
)
from profiles_module.profiles.admin import (
    ProfileDeleteBulkAction,
    ProfileOptionViewSet,
    ProfileViewSet,
)
from profiles_module.profiles.exports import SupportersMenuItem, SupportersView
from profiles_module.projects.admin import ProjectsViewSetGroup, ReadOnlyPermissionPolicy
from profiles_module.publication.admin import AskToUpdateBulkAction
from profiles_module.search.page_cache import serve_kept_map_page
from profiles_module.stats.admin import StatisticsDashboardPanel

from .models import Profile, ProfileOption, Project, ProjectImport, TerritoryLogEntry

# Registered here, not with a decorator on the models: the models stay free of admin code.
# The policy first: the viewset picks up the registered one.
register_permission_policy(Profile, TerritoryPermissionPolicy(Profile))
register_snippet(ProfileViewSet)
register_snippet(ProfileOptionViewSet)
register_snippet(PartnerViewSet)
# The projects are the national database's: read-only here, written by the imports.
register_permission_policy(Project, ReadOnlyPermissionPolicy(Project))
register_permission_policy(ProjectImport, ReadOnlyPermissionPolicy(ProjectImport))
register_snippet(ProjectsViewSetGroup)

# Bulk actions register their class itself (Wagtail's own do the same).
hooks.register("register_bulk_action", AskToUpdateBulkAction)


# After Wagtail's own (order 0), so that this one is the delete action of profiles.
hooks.register("register_bulk_action", ProfileDeleteBulkAction, order=1)

# Before Wagtail's own (order 0): the outermost of the chain serving a page.
hooks.register("on_serve_page", serve_kept_map_page, order=-1)


@hooks.register("register_log_actions", order=100)  # after Wagtail registers ModelLogEntry
def limit_site_history_to_territory(actions):
    # The site history report reads every model of this set; the proxy (same table) hides
    # the fiches outside a partner editor's territory. Writing entries is unchanged.
    actions.log_entry_models.discard(ModelLogEntry)
    actions.log_entry_models.add(TerritoryLogEntry)


@hooks.register("before_delete_snippet")
def protect_options_in_use(request, instances):
    """Refuse to delete an option that profiles use: it would vanish from them silently."""
    for option in instances:
        if not isinstance(option, ProfileOption):
            continue
        count = option.profiles_using().count()
        if count:
            messages.error(
                request,
                ngettext(
                    "“%(option)s” is used by %(count)d profile: it cannot be deleted.",
                    "“%(option)s” is used by %(count)d profiles: it cannot be deleted.",
                    count,
                )
                % {"option": option, "count": count},
            )
            return redirect(ProfileOption.snippet_viewset.get_url_name("list"))
    return None


# --- Contact statistics ("Mises en relation", contact_stats.py): a report under Reports,
# for users with view_contact_statistics or view_contactmessage (and superusers).


@hooks.register("register_admin_urls")
def register_contact_statistics_urls():

    return [
        path(
            "mises-en-relation/",
            ContactStatisticsView.as_view(),
            name="profiles_module_contact_stats",
        ),
        path(
            "mises-en-relation/resultats/",
            ContactStatisticsView.as_view(results_only=True),
            name="profiles_module_contact_stats_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_contact_statistics_menu_item():

    return ContactStatisticsMenuItem(
        _("Contacts made"),
        reverse("profiles_module_contact_stats"),
        name="contacts-made",
        icon_name="mail",
        order=1300,
    )


@hooks.register("register_permissions")
def register_contact_statistics_permissions():

    return Permission.objects.filter(
        content_type__app_label="profiles_module",
        codename__in=["view_contact_statistics", "view_contactmessage"],
    )


# --- Supporters ("Sympathisants", profiles/exports.py): the news mailing list, a report
# for users trusted with private details.


@hooks.register("register_admin_urls")
def register_supporters_urls():
    return [
        path("sympathisants/", SupportersView.as_view(), name="profiles_module_supporters"),
        path(
            "sympathisants/resultats/",
            SupportersView.as_view(results_only=True),
            name="profiles_module_supporters_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_supporters_menu_item():
    return SupportersMenuItem(
        _("Supporters"),
        reverse("profiles_module_supporters"),
        name="supporters",
        icon_name="mail",
        order=1310,
    )


# --- Contact safety: the abuse reports of the contact relay (contact_admin.py), a menu
# item "Abuse reports" for users with a permission on AbuseReport (and superusers).


@hooks.register("register_admin_viewset")
def register_abuse_report_viewset():

    return AbuseReportViewSet("abuse_reports")


@hooks.register("construct_homepage_panels")
def register_territory_dashboard_panel(request, panels):
    # Counts of the editor's territory (all of them for national editors).
    if request.user.has_perm("profiles_module.view_profile"):
        panels.append(TerritoryDashboardPanel(request.user))


@hooks.register("construct_homepage_panels")
def register_statistics_dashboard_panel(request, panels):
    # The figures of the editor's territory (all of France for national editors), beside
    # the fiches to look after.
    if request.user.has_perm("profiles_module.view_profile"):
        panels.append(StatisticsDashboardPanel(request.user))
