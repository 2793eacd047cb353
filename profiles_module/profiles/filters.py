"""The filters of the admin's listing of fiches."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from profiles_module.models.geography import Departement, Region
from profiles_module.models.options import ProfileOption
from profiles_module.models.profiles import AgeBand, Profile, Sector


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
            "partner",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # The news consent is a private detail (it makes a mailing list of the listing).
        if user is None or not user.has_perm("profiles_module.view_private_details"):
            self.filters.pop("news_consent", None)

    # A sector's territory columns say where it lies: no join, no DISTINCT.
    def filter_departement(self, queryset, name, value):
        return queryset.filter(
            pk__in=Sector.objects.filter(territory_departement=value).values("profile_id")
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(
            pk__in=Sector.objects.filter(territory_region=value).values("profile_id")
        )

    def filter_age_band(self, queryset, name, value):
        # Codes are never substrings of each other, see ChoiceListField.
        return queryset.filter(age_bands__contains=value)
