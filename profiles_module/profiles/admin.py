"""The admin of the fiches: listing, inspect view, edit panels, chooser and bulk
delete, each limited to a partner editor's territory; and the options editors extend."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.forms import CheckboxSelectMultiple
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.models import WorkflowState
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
)
from wagtail.snippets.views.snippets import CreateView, IndexView, InspectView, SnippetViewSet

from profiles_module.common.leaflet import LocalLeafletPanel
from profiles_module.common.text import search_words
from profiles_module.geography.widgets import CommuneAutocompleteWidget
from profiles_module.models.options import ProfileOption
from profiles_module.models.partners import scope_to_editor
from profiles_module.models.profiles import Profile, choice_labels
from profiles_module.partners.permissions import TerritoryBulkActionMixin, guard_object_views
from profiles_module.profiles.filters import ProfileAdminFilterSet
from profiles_module.publication.admin import ProfileEventsPanel
from profiles_module.publication.widgets import ProjectAutocompleteWidget

PRIVATE_DETAILS_PERMISSION = "profiles_module.view_private_details"


# The consent to publish is not private: every profile shown has it. Contact and news
# consent are, since the news consent makes the export a mailing list.
PRIVATE_FIELDS = ["email", "news_consent", "news_consent_at"]
# The export is a mailing list: the address only of those who agreed to the news (and
# confirmed their address), never of anyone else.
PRIVATE_EXPORT_FIELDS = ["news_address", "news_consent", "news_consent_at"]


def in_moderation():
    """Whether a fiche has a moderation workflow in progress (a queryset annotation)."""
    return Exists(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Profile),
            object_id=Cast(OuterRef("pk"), CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
    )


def publication_status(profile):
    """What an editor needs to know first about a fiche: is it on the map, and if not, why."""
    if profile.hidden_reason:
        return pgettext_lazy("fiche", "Hidden (%(reason)s)") % {
            "reason": profile.get_hidden_reason_display()
        }
    if profile.paused:
        return pgettext_lazy("fiche", "Paused by the owner")
    if profile.awaiting_confirmation:
        return pgettext_lazy("fiche", "Awaiting confirmation")
    if profile.live:
        return pgettext_lazy("fiche", "Published")
    # Annotated by the listing; computed for a single fiche elsewhere.
    moderated = getattr(profile, "in_moderation", None)
    if moderated is None:
        moderated = profile.workflow_in_progress
    return (
        pgettext_lazy("fiche", "Awaiting moderation")
        if moderated
        else pgettext_lazy("fiche", "Draft")
    )


def dated(moment):
    """A date with its year ("1 janv. 2026"): the listings span years of fiches."""
    return date_format(localtime(moment), "j N Y") if moment else "—"


class ProfileIndexView(IndexView):
    @cached_property
    def add_item_label(self):
        # Wagtail's "Add %(model_name)s" cannot agree in gender in French.
        return _("Add a household profile")

    @cached_property
    def search_query(self):
        # Words only: the search backend puts each term in full-text syntax unescaped.
        return search_words(super().search_query)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Private columns only for people trusted with them (e.g. the national team).
        if request.user.has_perm(PRIVATE_DETAILS_PERMISSION):
            self.list_export = [*self.list_export, *PRIVATE_EXPORT_FIELDS]


class ProfileCreateView(CreateView):
    @cached_property
    def page_title(self):
        return _("New household profile")


YES_NO = {True: pgettext_lazy("fiche", "Yes"), False: pgettext_lazy("fiche", "No"), None: "—"}


class ProfileInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        # Labels, not the stored codes: the inspect view is read by people, not machines.
        value = getattr(self.object, field_name, None)
        if field_name == "location":
            return self.get_location_display_value()
        if field is not None and getattr(field, "choices", None) and isinstance(value, list):
            labels = choice_labels(field)
            return ", ".join(str(labels.get(code, code)) for code in value) or "—"
        if isinstance(value, bool) or value is None:
            return YES_NO[value]
        return super().get_field_display_value(field_name, field)

    def get_location_display_value(self):
        if self.object.latitude is None or self.object.longitude is None:
            return "—"
        return f"{self.object.latitude:.5f}, {self.object.longitude:.5f}"

    def get_fields(self):
        fields = super().get_fields()
        if self.request.user.has_perm(PRIVATE_DETAILS_PERMISSION):
            return fields
        return [name for name in fields if name not in PRIVATE_FIELDS]


class TerritoryChooserMixin:
    def get_object_list(self):
        return scope_to_editor(super().get_object_list(), self.request.user)


class WordsOnlyChooserSearchMixin:
    def get_filter_form_class(self):
        # Words only: the search backend puts each term in full-text syntax unescaped.
        def clean_q(form):
            return search_words(form.cleaned_data.get("q") or "")

        form_class = super().get_filter_form_class()
        return type(form_class.__name__, (form_class,), {"clean_q": clean_q})


class ProfileChooseView(TerritoryChooserMixin, WordsOnlyChooserSearchMixin, ChooseView):
    pass


class ProfileChooseResultsView(
    TerritoryChooserMixin, WordsOnlyChooserSearchMixin, ChooseResultsView
):
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
    add_view_class = ProfileCreateView
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
        Column("status", label=pgettext_lazy("fiche", "Status"), accessor=publication_status),
        "profile_kind",
        "composition",
        "sectors_label",
        "partner",
        Column(
            "updated_at",
            label=_("updated"),
            accessor=lambda profile: dated(profile.updated_at),
            sort_key="updated_at",
        ),
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
        "news_address": _("Email address (news consent only)"),
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
        queryset = (
            Profile.objects.select_related("partner")
            .prefetch_related("sectors__commune", "sectors__departement", "sectors__region")
            .annotate(in_moderation=in_moderation())
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
                        FieldRowPanel(
                            [
                                FieldPanel("project", widget=ProjectAutocompleteWidget),
                                FieldPanel("project_relation"),
                            ]
                        ),
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


class ProfileDeleteBulkAction(TerritoryBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete, limited to the fiches of a partner editor's territory."""

    models = [Profile]
