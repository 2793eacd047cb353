"""The public search form and filter set of the map pages and the API: every
criterion, in the URL, limited to the page's (and the partner's) territory."""

import copy
import hashlib
import re
from datetime import timedelta

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from profiles_module.common.versions import CHOICE_LISTS, SEARCHED_FICHES
from profiles_module.geography.lookup import search_communes
from profiles_module.models import (
    Commune,
    Departement,
    Profile,
    ProfileOption,
    normalize_place_name,
)
from profiles_module.models.profiles import (
    CONFIRMED_ON,
    MOST_RECENTLY_CONFIRMED,
    AgeBand,
    Composition,
    FinancingBand,
    Horizon,
    ProfileKind,
    Role,
    Setting,
    Tenure,
)
from profiles_module.models.territory import Territory, in_places
from profiles_module.search.query import near, text_search_ids
from profiles_module.search.widgets import (
    CommuneSearchWidget,
    FilterCheckboxes,
    FilterSelect,
    FilterTextInput,
)

# --- Public search --------------------------------------------------------------------------

KM_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km"), (100, "100 km")]
DEFAULT_KM = 20
CHILDREN_CHOICES = [
    (1, _("at least 1")),
    (2, _("at least 2")),
    (3, _("at least 3")),
]
CONFIRMED_CHOICES = [
    (1, _("within the last month")),
    (3, _("within the last 3 months")),
    (6, _("within the last 6 months")),
    (12, _("within the last year")),
]
YES_NO = [("yes", _("yes")), ("no", _("no"))]
ANY = pgettext_lazy("search filter with no value chosen", "any")


# Greedy up to the last non-space rather than lazy: a lazy name followed by \s* rescans
# every run of spaces from each of its positions (quadratic on typed text).
LABEL_RE = re.compile(r"^(?P<name>.*\S)\s*+\((?P<code>\d{5})\)$")


class Sort(models.TextChoices):
    NEWEST = "newest", _("newest first")
    CONFIRMED = "confirmed", _("most recently confirmed")
    NEAREST = "nearest", _("nearest to the commune")


class ProfileSearchForm(forms.Form):
    # The project's template engine renders the widgets, so that a host site's templates
    # override profiles_module/map/widgets/ (Django's default form renderer only looks in
    # Django's and the apps' own template folders).
    default_renderer = TemplatesSetting()

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()  # Mutable: see below and clean_commune.
            # The radius select shows 20 km, not its first option, until one is chosen.
            if not data.get("km"):
                data["km"] = str(DEFAULT_KM)
        super().__init__(data, *args, **kwargs)

    def clean_commune(self):
        """An INSEE code (what links carry), or a name or postal code typed without JS."""

        text = (self.cleaned_data.get("commune") or "").strip()[:100]
        if not text:
            return None
        commune = None
        communes = Commune.objects.select_related("departement")
        labelled = LABEL_RE.match(text)
        if text.isdigit() and len(text) == 5:
            commune = communes.filter(insee_code=text).first()
        elif labelled:  # "Saint-Étienne (42000)", as the box shows it once resolved
            commune = communes.filter(
                search_name=normalize_place_name(labelled["name"]),
                postal_codes__contains=labelled["code"],
            ).first()
        if commune is None:
            found = search_communes(text, limit=1)
            commune = communes.filter(pk=found[0].pk).first() if found else None
        if commune is None:
            raise forms.ValidationError(
                _("No commune matches “%(text)s”."), code="unknown_commune", params={"text": text}
            )
        # Show the commune's name in the box, whatever identified it (an INSEE code in links).
        self.data["commune"] = commune.label
        return commune

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == Sort.NEAREST and not cleaned.get("commune"):
            self.add_error("sort", _("Choose a commune to sort by distance."))
            cleaned["sort"] = ""
        return cleaned


class SelectOneOfMany(FilterSelect):
    """A plain select for a filter that accepts several values in the URL (?departement=42&…).

    People pick one without JavaScript; shared links may carry several, all kept.
    """

    def value_from_datadict(self, data, files, name):
        return (
            [value for value in data.getlist(name) if value]
            if hasattr(data, "getlist")
            else ([data[name]] if data.get(name) else [])
        )

    def render_choices(self):
        choices = list(self.choices)
        return choices if choices and choices[0][0] == "" else [("", ANY), *choices]


class FieldsOfOneForm(dict):
    """The fields of a form class made for a single form (ProfileFilterSet.get_form_class):
    BaseForm.__init__ deep-copies base_fields, here a plain copy of the dict."""

    def __deepcopy__(self, memo):
        return dict(self)


class FiltersCopiedPerSearch(dict):
    """ProfileFilterSet.base_filters, which django-filter deep-copies for each filterset.

    A search changes only a filter's ``extra`` (its choices are replaced, never mutated)
    and sets its ``parent`` and ``model``: a shallow copy with its own ``extra`` does,
    where deepcopy walked every choice list and (lazy) label, a tenth of the unfiltered
    map page's time. Each copy's own ``extra`` also keeps concurrent searches (threads)
    apart. tests/test_search.py::test_one_search_leaves_nothing_to_the_next checks that
    searches stay independent, with django-filter 26.
    """

    def __deepcopy__(self, memo):
        filters = {}
        for name, original in self.items():
            copied = copy.copy(original)
            copied.__dict__.pop("_field", None)  # Built from the copy's extra, if asked.
            copied.extra = dict(original.extra)
            copied.method = original.method  # Binds a FilterMethod to the copy.
            filters[name] = copied
        return filters


def multiple(label, choices=(), widget=FilterCheckboxes, **kwargs):
    # distinct=False: no filter joins a to-many relation (they use subqueries), and a
    # DISTINCT over every column costs a full sort on large tables.
    return django_filters.MultipleChoiceFilter(
        label=label, choices=choices, widget=widget, distinct=False, **kwargs
    )


def yes_no(label, **kwargs):
    return django_filters.ChoiceFilter(
        label=label, choices=YES_NO, empty_label=ANY, widget=FilterSelect, **kwargs
    )


# Lists of choices change only with load_geography or an edited option, which replace
# CHOICE_LISTS; this is for a change the signals would miss.
CHOICE_LIST_SECONDS = 60 * 60


def place_choices(territory):
    """([(code, label)] of the territory's départements, [(code, name)] of its régions),
    read on every search: from the shared cache. Rows, not model instances: a hundred
    départements."""

    def read():
        departements = territory.departements_queryset().values_list("code", "name")
        return (
            [(code, Departement.format_label(name, code)) for code, name in departements],
            list(territory.regions_queryset().values_list("code", "name")),
        )

    return CHOICE_LISTS.remembered(
        ("places", territory), read, CHOICE_LIST_SECONDS, in_process=True
    )


def option_rows():
    """(id, category, slug, label, label_en) of every option, in their order."""
    return CHOICE_LISTS.remembered(
        ("options",),
        lambda: list(
            ProfileOption.objects.values_list("pk", "category", "slug", "label", "label_en")
        ),
        CHOICE_LIST_SECONDS,
        in_process=True,
    )


class ProfileFilterSet(django_filters.FilterSet):
    """The public search, shared by the map page, the list and the API.

    Only public fields can be filtered on (a filter on a hidden field would reveal it).
    ``territory`` and ``kinds`` come from a MapPage: results never leave them;
    ``offered`` names the filters the page offers (the others are ignored).
    """

    q = django_filters.CharFilter(
        label=_("Words in the presentation"),
        method="filter_text",
        max_length=100,
        widget=FilterTextInput,
    )
    kind = multiple(_("Kind of profile"), ProfileKind.choices, field_name="profile_kind")
    composition = multiple(_("Household composition"), Composition.choices)
    children = django_filters.ChoiceFilter(
        label=_("Children"),
        choices=CHILDREN_CHOICES,
        field_name="children",
        lookup_expr="gte",
        empty_label=ANY,
        widget=FilterSelect,
    )
    age = multiple(_("Age bands"), AgeBand.choices, method="filter_age")
    commune = django_filters.CharFilter(
        label=_("Around the commune"),
        method="filter_commune",
        max_length=100,
        help_text=_("Name or postal code"),
        widget=CommuneSearchWidget,
    )
    # data-fv-default: the value the search reads when none is sent, which the live search
    # leaves out of the address it shares (search-live.js).
    km = django_filters.ChoiceFilter(
        label=_("Within"),
        choices=KM_CHOICES,
        method="keep",
        empty_label=None,
        widget=FilterSelect(attrs={"data-fv-default": DEFAULT_KM}),
    )
    departement = multiple(_("Département"), method="filter_departement", widget=SelectOneOfMany)
    region = multiple(_("Région"), method="filter_region", widget=SelectOneOfMany)
    setting = multiple(_("Setting"), Setting.choices)
    tenure = multiple(_("Tenure"), Tenure.choices)
    project = multiple(_("Kind of project"), method="filter_project")
    horizon = multiple(_("Horizon"), Horizon.choices)
    role = multiple(_("Role wished"), Role.choices)
    step = multiple(_("Steps already taken"), method="filter_step")
    place = yes_no(_("Place identified"), method="filter_place")
    value = multiple(_("Values and themes"), method="filter_value")
    financing = multiple(
        _("Personal contribution"),
        [c for c in FinancingBand.choices if c[0] != FinancingBand.UNDISCLOSED],
        method="filter_financing",
    )
    social_housing = yes_no(_("Eligible for social housing"), method="filter_social_housing")
    confirmed = django_filters.ChoiceFilter(
        label=_("Confirmed"),
        choices=CONFIRMED_CHOICES,
        method="filter_confirmed",
        empty_label=_("any time"),
        widget=FilterSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=Sort.choices,
        method="keep",
        empty_label=None,
        widget=FilterSelect(attrs={"data-fv-default": Sort.NEWEST}),
    )

    # Filters that always come with another one, or are not filters at all.
    COMPANIONS = {"km": "commune", "sort": None}
    OPTION_FILTERS = {
        "project": ("project_kinds", ProfileOption.Category.PROJECT_KIND),
        "step": ("steps", ProfileOption.Category.STEP),
        "value": ("values", ProfileOption.Category.VALUE),
    }

    class Meta:
        model = Profile
        fields = []
        form = ProfileSearchForm

    def __init__(
        self, data=None, queryset=None, *, territory=None, kinds=None, offered=None, **kwargs
    ):

        self.territory = territory or Territory()
        self.kinds = tuple(kinds or ())
        if queryset is None:
            queryset = Profile.objects.public()
        queryset = self.territory.apply(queryset)
        if kinds:
            queryset = queryset.filter(profile_kind__in=kinds)
        super().__init__(data, queryset, **kwargs)
        if offered is not None:
            keep = set(offered) | {"sort"} | ({"km"} if "commune" in offered else set())
            for name in list(self.filters):
                if name not in keep:
                    del self.filters[name]
        self._set_choices(kinds)

    def get_form_class(self):
        # django-filter builds a form class for each filterset, from the fields of this
        # filterset's own filters (deep-copied from the class's): its one form need not
        # deep-copy them again, as Django's forms do to keep class-wide fields intact.
        form_class = super().get_form_class()
        form_class.base_fields = FieldsOfOneForm(form_class.base_fields)
        return form_class

    def _set_choices(self, kinds):
        """Choices of the places and options, limited to the territory (place_choices,
        option_rows: from the shared cache)."""
        filters = self.filters
        # {criterion: {slug: id}} of the options offered, for the filters and the counts.
        self.option_ids = {}
        if kinds and "kind" in filters:
            filters["kind"].extra["choices"] = [c for c in ProfileKind.choices if c[0] in kinds]
        if "departement" in filters or "region" in filters:
            departements, regions = place_choices(self.territory)
            if "departement" in filters:
                filters["departement"].extra["choices"] = departements
            if "region" in filters:
                filters["region"].extra["choices"] = regions
        wanted = {
            self.OPTION_FILTERS[name][1]: name for name in self.OPTION_FILTERS if name in filters
        }
        if wanted:
            for name in wanted.values():
                filters[name].extra["choices"] = []
                self.option_ids[name] = {}
            for pk, category, slug, label, label_en in option_rows():
                name = wanted.get(category)
                if name is not None:
                    label = ProfileOption.display_label(label, label_en)
                    filters[name].extra["choices"].append((slug, label))
                    self.option_ids[name][slug] = pk

    # The querystring of the active, valid filters: for links (pagination, back links).
    def querystring(self, exclude=("page",)):
        if not self.is_bound:
            return ""
        params = QueryDict(mutable=True)
        for name in self.filters:
            if name in exclude or name in self.errors:
                continue
            values = (
                [v for v in self.data.getlist(name) if v]
                if hasattr(self.data, "getlist")
                else [self.data.get(name)]
            )
            if values and any(values):
                params.setlist(name, [v for v in values if v])
        commune = self.chosen_commune
        if commune is not None and "commune" in params:
            params["commune"] = commune.insee_code  # Links carry the stable code.
        return params.urlencode()

    def criteria_querystring(self):
        """The querystring of what is searched, without the page of results nor their order:
        what the map's data, the shared cache and a saved search (alert) depend on."""
        return self.querystring(exclude=("page", "sort"))

    def search_key(self):
        """A short name of this search (territory, kinds, criteria) and of the fiches it
        searched, for the shared cache: two requests of the same search, whatever their
        page, order or map view, share it until a fiche changes (SEARCHED_FICHES)."""
        search = (
            SEARCHED_FICHES.current(),
            self.territory,
            self.kinds,
            sorted(self.filters),
            self.criteria_querystring(),
        )
        return hashlib.sha256(repr(search).encode()).hexdigest()

    def active_filters(self):
        """Names of the filters with a valid value (sort and km excluded)."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        return [
            name
            for name, value in self.form.cleaned_data.items()
            if name not in self.COMPANIONS and name in self.filters and value not in (None, "", [])
        ]

    @property
    def chosen_commune(self):
        """The Commune of the ``commune`` filter once validated, or None."""
        self.errors  # noqa: B018  (runs the validation)
        return getattr(self.form, "cleaned_data", {}).get("commune")

    # --- filter methods

    def keep(self, queryset, name, value):
        return queryset

    def filter_text(self, queryset, name, value):
        ids = text_search_ids(value)
        return queryset if ids is None else queryset.filter(pk__in=ids)

    def filter_age(self, queryset, name, value):
        match = Q()
        for code in value:  # Codes are never substrings of each other.
            match |= Q(age_bands__contains=code)
        return queryset.filter(match)

    def filter_commune(self, queryset, name, value):

        km = int(self.form.cleaned_data.get("km") or DEFAULT_KM)
        return near(queryset, value, km)

    def filter_departement(self, queryset, name, value):

        return queryset.filter(in_places(departement_codes=value))

    def filter_region(self, queryset, name, value):

        return queryset.filter(in_places(region_codes=value))

    def _filter_options(self, queryset, name, value):
        # By id, from the choices read once per search: the link table alone, no join.
        through = getattr(Profile, self.OPTION_FILTERS[name][0]).through
        return queryset.filter(
            pk__in=through.objects.filter(
                profileoption_id__in=self.chosen_option_ids(name, value)
            ).values("profile_id")
        )

    def chosen_option_ids(self, name, slugs):
        ids = self.option_ids.get(name, {})
        return [ids[slug] for slug in slugs if slug in ids]

    filter_project = filter_step = filter_value = _filter_options

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_identified=value == "yes")

    # Contribution and eligibility are filtered only where the owner shows them:
    # a filter on a hidden value would reveal it.
    def filter_financing(self, queryset, name, value):
        return queryset.filter(financing_public=True, financing_band__in=value)

    def filter_social_housing(self, queryset, name, value):
        return queryset.filter(financing_public=True, social_housing_eligible=value == "yes")

    def filter_confirmed(self, queryset, name, value):
        since = timezone.now() - timedelta(days=round(30.44 * int(value)))
        return queryset.alias(confirmed_on=CONFIRMED_ON).filter(confirmed_on__gte=since)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or Sort.NEWEST
        if sort == Sort.NEAREST and "distance_km" in queryset.query.annotations:
            return queryset.order_by("distance_km", "-created_at", "-pk")
        if sort == Sort.CONFIRMED:
            return queryset.order_by(*MOST_RECENTLY_CONFIRMED)
        return queryset.order_by("-created_at", "-pk")


ProfileFilterSet.base_filters = FiltersCopiedPerSearch(ProfileFilterSet.base_filters)
