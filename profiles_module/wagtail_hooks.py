from django.contrib import messages
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import ModelLogEntry
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
)
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from .filters import ProfileAdminFilterSet
from .lifecycle_admin import AskToUpdateBulkAction, ProfileEventsPanel
from .models import Profile, ProfileOption, TerritoryLogEntry
from .panels import LocalLeafletPanel
from .partner_admin import PartnerViewSet
from .permissions import (
    TerritoryBulkActionMixin,
    TerritoryPermissionPolicy,
    guard_object_views,
    scope_to_editor,
)
from .widgets import CommuneAutocompleteWidget

PRIVATE_DETAILS_PERMISSION = "profiles_module.view_private_details"
# The consent to publish is not private: every profile shown has it. Contact and news
# consent are, since the news consent makes the export a mailing list.
PRIVATE_FIELDS = ["email", "news_consent", "news_consent_at"]


class ProfileIndexView(IndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Private columns only for people trusted with them (e.g. the national team).
        if request.user.has_perm(PRIVATE_DETAILS_PERMISSION):
            self.list_export = [*self.list_export, *PRIVATE_FIELDS]


class ProfileInspectView(InspectView):
    def get_fields(self):
        fields = super().get_fields()
        if self.request.user.has_perm(PRIVATE_DETAILS_PERMISSION):
            return fields
        return [name for name in fields if name not in PRIVATE_FIELDS]


class TerritoryChooserMixin:
    def get_object_list(self):
        return scope_to_editor(super().get_object_list(), self.request.user)


class ProfileChooseView(TerritoryChooserMixin, ChooseView):
    pass


class ProfileChooseResultsView(TerritoryChooserMixin, ChooseResultsView):
    pass


class ProfileChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        # The ids come from the query string: any fiche's could be typed there.
        return scope_to_editor(super().get_objects(pks), self.request.user)


class ProfileChooserViewSet(SnippetChooserViewSet):
    """The profile chooser (contact blocks): a partner editor's territory only, in the
    listing, its search and the "chosen" answers that name the fiches."""

    choose_view_class = ProfileChooseView
    choose_results_view_class = ProfileChooseResultsView
    chosen_multiple_view_class = ProfileChosenMultipleView

    def get_urlpatterns(self):
        # "chosen/<pk>/" names the fiche chosen: 404 outside the territory.
        return guard_object_views(super().get_urlpatterns(), self.model)


class ProfileViewSet(SnippetViewSet):
    model = Profile
    icon = "group"
    menu_label = _("Household profiles")
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = ProfileIndexView
    chooser_viewset_class = ProfileChooserViewSet
    inspect_view_class = ProfileInspectView
    inspect_view_enabled = True
    inspect_view_fields_exclude = [
        "id",
        "uid",
        "located_from",
        "latitude",
        "longitude",
        "latest_revision",
        "live_revision",
        "locked_by",
        "locked_at",
        "locked",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "go_live_at",
        "expire_at",
        "expired",
        "live",
        "language",
    ]
    filterset_class = ProfileAdminFilterSet
    list_display = [
        "public_name",
        "profile_kind",
        "composition",
        "sectors_label",
        "partner",
        "updated_at",
    ]
    list_per_page = 50
    ordering = ["-created_at"]
    list_export = [
        "uid",
        "public_name",
        "get_profile_kind_display",
        "get_composition_display",
        "adults",
        "children",
        "age_bands",
        "sectors_label",
        "get_setting_display",
        "get_tenure_display",
        "get_horizon_display",
        "get_role_display",
        "live",
        "partner",
        "created_at",
        "last_confirmed_at",
    ]
    export_headings = {
        "uid": _("Identifier"),
        "get_profile_kind_display": _("Kind of profile"),
        "get_composition_display": _("Household composition"),
        "sectors_label": _("Wished sectors"),
        "get_setting_display": _("Setting"),
        "get_tenure_display": _("Tenure"),
        "get_horizon_display": _("Horizon"),
        "get_role_display": _("Role wished"),
        "live": _("Published"),
    }
    export_filename = "fiches-futurs-voisins"

    sector_panels = [
        FieldPanel("kind"),
        FieldRowPanel(
            [FieldPanel("commune", widget=CommuneAutocompleteWidget), FieldPanel("radius_km")]
        ),
        FieldPanel("departement"),
        FieldPanel("region"),
    ]

    def get_queryset(self, request):
        # Partner editors list and export the fiches of their territory only.
        queryset = Profile.objects.select_related("partner").prefetch_related(
            "sectors__commune", "sectors__departement", "sectors__region"
        )
        return scope_to_editor(queryset, request.user)

    def get_urlpatterns(self):
        # Every view of one fiche (edit, inspect, delete, history, workflow, preview…)
        # answers 404 to a partner editor when the fiche is outside their territory.
        return guard_object_views(super().get_urlpatterns(), self.model)

    def get_edit_handler(self):
        return TabbedInterface(
            [
                ObjectList(
                    [
                        FieldPanel("profile_kind"),
                        FieldPanel("public_name"),
                        MultiFieldPanel(
                            [
                                FieldPanel("composition"),
                                FieldRowPanel([FieldPanel("adults"), FieldPanel("children")]),
                                FieldPanel("age_bands"),
                            ],
                            heading=_("Household"),
                        ),
                        InlinePanel(
                            "sectors",
                            panels=self.sector_panels,
                            min_num=1,
                            heading=_("Wished sectors"),
                            label=_("sector"),
                        ),
                        FieldPanel("presentation"),
                        FieldPanel("photo"),
                    ],
                    heading=_("Profile"),
                ),
                ObjectList(
                    [
                        FieldPanel("setting"),
                        FieldPanel("tenure"),
                        FieldPanel("project_kinds", widget=CheckboxSelectMultiple),
                        FieldRowPanel([FieldPanel("horizon"), FieldPanel("role")]),
                        MultiFieldPanel(
                            [
                                FieldPanel("financing_band"),
                                FieldPanel("financing_public"),
                                FieldPanel("social_housing_eligible"),
                            ],
                            heading=_("Financing"),
                        ),
                        FieldPanel("steps", widget=CheckboxSelectMultiple),
                        FieldRowPanel(
                            [
                                FieldPanel("place_identified"),
                                FieldPanel("place_commune", widget=CommuneAutocompleteWidget),
                            ]
                        ),
                        FieldPanel("values", widget=CheckboxSelectMultiple),
                        FieldPanel("values_other"),
                        FieldPanel("national_project_url"),
                    ],
                    heading=_("Project"),
                ),
                ObjectList(
                    [
                        LocalLeafletPanel("location", hide_latlng=True),
                    ],
                    heading=_("Map"),
                ),
                ObjectList(
                    [
                        FieldPanel("email", permission=PRIVATE_DETAILS_PERMISSION),
                        FieldPanel("publication_consent_at"),
                        # The permission goes on each FieldPanel: only there does it remove
                        # the field from the form (on the row it only hides it, and a save
                        # would then wipe the consent).
                        FieldRowPanel(
                            [
                                FieldPanel("news_consent", permission=PRIVATE_DETAILS_PERMISSION),
                                FieldPanel(
                                    "news_consent_at", permission=PRIVATE_DETAILS_PERMISSION
                                ),
                            ],
                            permission=PRIVATE_DETAILS_PERMISSION,
                        ),
                    ],
                    heading=_("Private"),
                ),
                ObjectList([ProfileEventsPanel()], heading=_("Lifecycle")),
            ]
        ).bind_to_model(self.model)


class ProfileOptionViewSet(SnippetViewSet):
    model = ProfileOption
    icon = "list-ul"
    menu_label = _("Profile options")
    list_display = ["label", "category", "slug", "sort_order"]
    list_filter = ["category"]
    panels = [
        FieldPanel("category"),
        FieldPanel("label"),
        FieldPanel("label_en"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
    ]


# Registered here, not with a decorator on the models: the models stay free of admin code.
# The policy first: the viewset picks up the registered one.
register_permission_policy(Profile, TerritoryPermissionPolicy(Profile))
register_snippet(ProfileViewSet)
register_snippet(ProfileOptionViewSet)
register_snippet(PartnerViewSet)

# Bulk actions register their class itself (Wagtail's own do the same).
hooks.register("register_bulk_action", AskToUpdateBulkAction)


class ProfileDeleteBulkAction(TerritoryBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete, limited to the fiches of a partner editor's territory."""

    models = [Profile]


# After Wagtail's own (order 0), so that this one is the delete action of profiles.
hooks.register("register_bulk_action", ProfileDeleteBulkAction, order=1)


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
    from django.urls import path

    from .contact_stats import ContactStatisticsView

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
    from django.urls import reverse

    from .contact_stats import ContactStatisticsMenuItem

    return ContactStatisticsMenuItem(
        _("Contacts made"),
        reverse("profiles_module_contact_stats"),
        name="contacts-made",
        icon_name="mail",
        order=1300,
    )


@hooks.register("register_permissions")
def register_contact_statistics_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="profiles_module",
        codename__in=["view_contact_statistics", "view_contactmessage"],
    )


# --- Contact safety: the abuse reports of the contact relay (contact_admin.py), a menu
# item "Abuse reports" for users with a permission on AbuseReport (and superusers).


@hooks.register("register_admin_viewset")
def register_abuse_report_viewset():
    from .contact_admin import AbuseReportViewSet

    return AbuseReportViewSet("abuse_reports")
