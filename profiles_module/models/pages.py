"""The app's page types: the map page visitors search the profiles with, the publication
page, the statistics page of a territory, and the projects of the national database."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtailgeowidget.helpers import geosgeometry_str_to_struct

from profiles_module.common.fields import ChoiceListField
from profiles_module.common.leaflet import LocalLeafletPanel
from profiles_module.common.page_links import remembered
from profiles_module.common.replica import replica_reads

from .geography import Departement, Region
from .profiles import ProfileKind
from .projects import Project
from .territory import Territory

# Metropolitan France, when the editor leaves the centre empty.
FRANCE_CENTRE = (46.6, 2.5)
FRANCE_ZOOM = 6


class SearchFilter(models.TextChoices):
    """The filters a map page can offer; the values are the names used in search URLs."""

    TEXT = "q", _("words in the presentation")
    KIND = "kind", _("kind of profile")
    COMPOSITION = "composition", _("household composition")
    CHILDREN = "children", _("number of children")
    AGE = "age", _("age bands")
    COMMUNE = "commune", _("around a commune")
    DEPARTEMENT = "departement", _("département")
    REGION = "region", _("région")
    SETTING = "setting", _("setting")
    TENURE = "tenure", _("tenure")
    PROJECT = "project", _("kind of project")
    HORIZON = "horizon", _("horizon")
    ROLE = "role", _("role wished")
    STEP = "step", _("steps already taken")
    PLACE = "place", _("place identified")
    VALUE = "value", _("values and themes")
    FINANCING = "financing", _("personal contribution")
    SOCIAL_HOUSING = "social_housing", _("eligible for social housing")
    CONFIRMED = "confirmed", _("confirmed recently")


class MapPage(Page):
    """A searchable map and list of the published profiles, limited to a territory."""

    introduction = RichTextField(_("introduction"), blank=True)
    regions = ParentalManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("régions"),
        help_text=_("Leave régions and départements empty to cover the whole of France."),
    )
    departements = ParentalManyToManyField(
        Departement, blank=True, related_name="+", verbose_name=_("départements")
    )
    location = models.CharField(
        _("map centre"),
        max_length=100,
        blank=True,
        help_text=_("Where the map opens. Empty: the centre of France."),
    )
    zoom = models.PositiveSmallIntegerField(
        _("map zoom"),
        default=FRANCE_ZOOM,
        validators=[MinValueValidator(2), MaxValueValidator(18)],
    )
    filters = ChoiceListField(
        _("filters offered"),
        choices=SearchFilter,
        max_length=300,
        help_text=_("Leave empty to offer every filter."),
    )
    profile_kinds = ChoiceListField(
        _("kinds of profile listed"),
        choices=ProfileKind,
        help_text=_("Leave empty to list every kind of profile."),
    )

    template = "profiles_module/map/map_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("regions", widget=CheckboxSelectMultiple),
                FieldPanel("departements"),
            ],
            heading=_("Territory"),
        ),
        MultiFieldPanel(
            [LocalLeafletPanel("location", zoom_field="zoom", hide_latlng=True)],
            heading=_("Map"),
        ),
        FieldPanel("filters"),
        FieldPanel("profile_kinds"),
    ]

    class Meta:
        verbose_name = _("map of the profiles")
        verbose_name_plural = _("maps of the profiles")

    @property
    def centre(self):
        """(latitude, longitude) where the map opens."""
        point = geosgeometry_str_to_struct(self.location or "")
        return (float(point["y"]), float(point["x"])) if point else FRANCE_CENTRE

    def get_territory(self):
        """The Territory this page is limited to (everything when nothing is chosen)."""
        return Territory.of_page(self)

    def live_territory(self):
        """get_territory() of the published page, read on every search: from the shared
        cache until the page tree changes (not for a preview, which holds its draft's)."""
        return remembered(("territory", self.pk), self.get_territory, in_process=True)

    def get_view_restrictions(self):
        """Wagtail's, which it asks before serving every search: two queries (the page's
        ancestors, then their restrictions) and 7 % of a searched page's instructions in
        Django, for pages that nearly always have none. Their ids are kept until the page
        tree changes (restricting a page, or moving one, replaces its version); the
        restrictions themselves are read only when there are some."""
        ids = remembered(
            ("view-restrictions", self.pk),
            lambda: list(super(MapPage, self).get_view_restrictions().values_list("pk", flat=True)),
            in_process=True,
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)

    def offered_filters(self):
        return list(self.filters) or list(SearchFilter.values)

    def get_context(self, request, *args, **kwargs):
        # Page types serve their feature's view, which imports the models: imported when
        # the page is served, the one import from the models up (docs/architecture.md).
        from profiles_module.search.views import search_context

        context = super().get_context(request, *args, **kwargs)
        context.update(search_context(request, page=self))
        return context

    def serve(self, request, *args, **kwargs):
        # The search shows published fiches only: a read replica may answer it. Rendered
        # inside the block, where the template's lazy querysets are read.
        with replica_reads():
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response


class PublishPage(Page):
    """The "Publier ma fiche" page: the public form households fill in."""

    introduction = RichTextField(_("introduction"), blank=True)
    data_notice = RichTextField(
        _("how the data is used"),
        blank=True,
        help_text=_("Shown beside the form. Leave empty for the default notice."),
    )
    thanks_text = RichTextField(
        _("text after sending"),
        blank=True,
        help_text=_("Shown once the form is sent. Leave empty for the default text."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("data_notice"),
        FieldPanel("thanks_text"),
    ]
    template = "profiles_module/publish/publish_page.html"

    class Meta:
        verbose_name = _("publish a profile page")
        verbose_name_plural = _("publish a profile pages")

    def serve(self, request, *args, **kwargs):
        # Page types serve their feature's view, which imports the models: imported when
        # the page is served, the one import from the models up (docs/architecture.md).
        from profiles_module.publication.views import serve_publish_page

        return serve_publish_page(self, request)

    def get_form_class(self):
        """Extension point: the form class of the page (a ProfileForm subclass)."""
        # Page types use their feature's form, which imports the models: imported when
        # the page is used, the one import from the models up (docs/architecture.md).
        from profiles_module.publication.forms import PublishProfileForm

        return PublishProfileForm


class StatisticsPage(Page):
    """The public figures of a territory: published fiches per département and per kind,
    new fiches per month; counts only, the small ones masked."""

    introduction = RichTextField(_("introduction"), blank=True)
    regions = ParentalManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("régions"),
        help_text=_("Leave régions and départements empty to cover the whole of France."),
    )
    departements = ParentalManyToManyField(
        Departement, blank=True, related_name="+", verbose_name=_("départements")
    )

    template = "profiles_module/stats/statistics_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("regions", widget=CheckboxSelectMultiple),
                FieldPanel("departements"),
            ],
            heading=_("Territory"),
        ),
    ]

    class Meta:
        verbose_name = _("statistics page")
        verbose_name_plural = _("statistics pages")

    def get_territory(self):
        """The Territory the figures count (everything when nothing is chosen)."""
        return Territory.of_page(self)

    def get_context(self, request, *args, **kwargs):
        # Page types serve their feature's view, which imports the models: imported when
        # the page is served, the one import from the models up (docs/architecture.md).
        from profiles_module.stats.views import statistics_context

        context = super().get_context(request, *args, **kwargs)
        context.update(statistics_context(self))
        return context


class ProjectsPage(RoutablePageMixin, Page):
    """The projects of the national database, searchable by name or commune, with a
    page per project listing the fiches that declared it."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    template = "profiles_module/projects/projects_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("projects page")
        verbose_name_plural = _("projects pages")

    @path("")
    def index_route(self, request):
        # Page types serve their feature's view, which imports the models: imported when
        # the page is served, the one import from the models up (docs/architecture.md).
        from profiles_module.projects.views import projects_context

        return self.render(request, context_overrides=projects_context(request, self))

    @path("<str:bazar_id>/", name="project")
    def project_route(self, request, bazar_id):
        # As above: the feature's view, imported when the page is served.
        from profiles_module.projects.views import project_context

        project = Project.objects.current().filter(bazar_id=bazar_id[:150]).first()
        if project is None:
            raise Http404
        return self.render(
            request,
            context_overrides=project_context(request, self, project),
            template="profiles_module/projects/project_page.html",
        )

    def project_url(self, project, page_url=None):
        """The address of a project's own page under this one (`page_url`: this page's
        address, when the caller already has it)."""
        return (page_url or self.url) + self.reverse_subpage("project", args=[project.bazar_id])

    @classmethod
    def for_site(cls, site, language=None):
        """The live projects page of `site` in `language` (else any), or None."""
        pages = cls.objects.live()
        if site is not None:
            pages = pages.in_site(site)
        if language:
            in_language = pages.filter(locale__language_code=language).first()
            if in_language is not None:
                return in_language
        return pages.first()
