import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import Departement, Profile, ProfileOption, Region
from .models.profiles import AgeBand


class ProfileAdminFilterSet(WagtailFilterSet):
    departement = django_filters.ModelChoiceFilter(
        label=_("département"), queryset=Departement.objects.all(), method="filter_departement"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("région"), queryset=Region.objects.all(), method="filter_region"
    )
    age_band = django_filters.ChoiceFilter(
        label=_("age band"), choices=AgeBand.choices, method="filter_age_band"
    )
    project_kinds = django_filters.ModelChoiceFilter(
        label=_("kind of project"),
        queryset=ProfileOption.objects.filter(category=ProfileOption.Category.PROJECT_KIND),
    )
    values = django_filters.ModelChoiceFilter(
        label=_("value or theme"),
        queryset=ProfileOption.objects.filter(category=ProfileOption.Category.VALUE),
    )

    class Meta:
        model = Profile
        fields = [
            "profile_kind",
            "composition",
            "setting",
            "tenure",
            "horizon",
            "role",
            "place_identified",
            "news_consent",
            "live",
        ]

    def filter_departement(self, queryset, name, value):
        return queryset.filter(
            Q(sectors__departement=value) | Q(sectors__commune__departement=value)
        ).distinct()

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            Q(sectors__region=value)
            | Q(sectors__departement__region=value)
            | Q(sectors__commune__departement__region=value)
        ).distinct()

    def filter_age_band(self, queryset, name, value):
        # Codes are never substrings of each other, see ChoiceListField.
        return queryset.filter(age_bands__contains=value)
