"""Editors' statistics of the contact relay: "Mises en relation" per month and
per territory, in the Wagtail admin (Reports menu, wagtail_hooks.py).

Counted in SQL (one GROUP BY on the month, the région and the département stored on each
message when it was written), so a profile erased since still counts where it was.
"""

from datetime import date, datetime, time, timedelta

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from profiles_module.contact.history import DELIVERED
from profiles_module.models import ContactMessage, Departement, Region
from profiles_module.models.partners import contact_messages_for

# Either permission opens the report; superusers have both.
STATISTICS_PERMISSIONS = (
    "profiles_module.view_contact_statistics",
    "profiles_module.view_contactmessage",
)
# A "mise en relation" is a message that reached the household or is on its way: the
# same messages its owner sees as received (contact_history.DELIVERED). Not counted:
# messages waiting for their sender to confirm their address (nobody received them),
# abandoned ones ("failed": the household never got the email, or it was erased before
# the sender confirmed) and any status an abuse layer adds (blocked messages), since the
# list is an allow-list. A message whose recipient was erased afterwards keeps its
# status and its territory, so it still counts where and when it was made.
COUNTED = DELIVERED
DEFAULT_MONTHS = 12


def can_view_statistics(user):
    return user.is_active and any(user.has_perm(name) for name in STATISTICS_PERMISSIONS)


def first_of_month(day, months_back=0):
    month = day.year * 12 + day.month - 1 - months_back
    return date(month // 12, month % 12 + 1, 1)


def months_between(start, end):
    """The first days of every month from start's to end's, both included."""
    month = first_of_month(start)
    while month <= end:
        yield month
        month = first_of_month(month + timedelta(days=31))


def region_choices():
    return list(Region.objects.order_by("name").values_list("code", "name"))


def keep(queryset, name, value):
    """The view applies the filters itself (see ContactStatisticsView.period)."""
    return queryset


class ContactStatisticsFilterSet(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label=_("Period"),
        widget=DateRangePickerWidget,
        method=keep,
        help_text=_("The last 12 months when left empty."),
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=region_choices, method=keep, empty_label=_("All régions")
    )

    class Meta:
        model = ContactMessage
        fields = []


class ContactStatisticsView(ReportView):
    page_title = _("Contacts made")
    header_icon = "mail"
    results_template_name = "profiles_module/admin/contact_stats_results.html"
    index_url_name = "profiles_module_contact_stats"
    index_results_url_name = "profiles_module_contact_stats_results"
    filterset_class = ContactStatisticsFilterSet
    paginate_by = None
    # The export holds the finest counts: one row per month, région and département.
    list_export = [
        "month",
        "region_code",
        "region",
        "departement_code",
        "departement",
        "count",
    ]
    export_headings = {
        "month": _("Month"),
        "region_code": _("Région code"),
        "region": _("Région"),
        "departement_code": _("Département code"),
        "departement": _("Département"),
        "count": _("Contacts made"),
    }
    export_filename = "mises-en-relation"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_statistics(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def cleaned(self, name):
        filters = self.filters
        if filters is None or not filters.is_valid():
            return None
        return filters.form.cleaned_data.get(name)

    @cached_property
    def period(self):
        """(first day, last day), both included, in the site's time zone."""
        value = self.cleaned("period")
        start = value.start and timezone.localtime(value.start).date() if value else None
        end = value.stop and timezone.localtime(value.stop).date() if value else None
        end = end or timezone.localdate()
        start = start or first_of_month(end, DEFAULT_MONTHS - 1)
        return (start, end) if start <= end else (end, start)

    @cached_property
    def region(self):
        return self.cleaned("region") or ""

    def filter_queryset(self, queryset):
        return queryset  # filtered in get_queryset

    @cached_property
    def place_names(self):
        """({région code: name}, {département code: name}): two small queries."""
        return (
            dict(Region.objects.values_list("code", "name")),
            dict(Departement.objects.values_list("code", "name")),
        )

    def get_queryset(self):
        """One row per month, région and département, counted by the database, with the
        names of the places; a list, so that it is read once."""
        start, end = self.period
        zone = timezone.get_current_timezone()
        messages = ContactMessage.objects.filter(
            status__in=COUNTED,
            created_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        )
        # Partner editors count the contacts of their territory only.
        messages = contact_messages_for(self.request.user, messages)
        if self.region:
            messages = messages.filter(region_code=self.region)
        grouped = (
            messages.annotate(month=TruncMonth("created_at"))
            .values("month", "region_code", "departement_code")
            .annotate(count=Count("pk"))
            .order_by("month", "region_code", "departement_code")
        )
        regions, departements = self.place_names
        rows = []
        for row in grouped:
            month = row["month"]
            if isinstance(month, datetime):  # in the current time zone already
                month = (timezone.localtime(month) if timezone.is_aware(month) else month).date()
            region, departement = row["region_code"], row["departement_code"]
            rows.append(
                {
                    "month": f"{month:%Y-%m}",
                    "month_date": month,
                    "region_code": region,
                    "region": regions.get(region, region),
                    "departement_code": departement,
                    "departement": departements.get(departement, departement),
                    "count": row["count"],
                }
            )
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = self.object_list
        start, end = self.period
        per_month = dict.fromkeys(months_between(start, end), 0)
        territories = {}
        without_territory = 0
        for row in rows:
            per_month[row["month_date"]] = per_month.get(row["month_date"], 0) + row["count"]
            if not row["region_code"]:
                without_territory += row["count"]
                continue
            region = territories.setdefault(
                row["region_code"],
                {
                    "code": row["region_code"],
                    "name": row["region"],
                    "count": 0,
                    "whole_region": 0,
                    "departements": {},
                },
            )
            region["count"] += row["count"]
            if row["departement_code"]:
                departement = region["departements"].setdefault(
                    row["departement_code"],
                    {"code": row["departement_code"], "name": row["departement"], "count": 0},
                )
                departement["count"] += row["count"]
            else:
                region["whole_region"] += row["count"]
        for region in territories.values():
            region["departements"] = sorted(
                region["departements"].values(), key=lambda departement: departement["code"]
            )
            # The région's header cell spans its total, its départements and the rest.
            region["rows"] = 1 + len(region["departements"]) + bool(region["whole_region"])
        context.update(
            start=start,
            end=end,
            per_month=list(per_month.items()),
            territories=sorted(territories.values(), key=lambda region: region["name"]),
            without_territory=without_territory,
            total=sum(row["count"] for row in rows),
            region_name=self.place_names[0].get(self.region, ""),
        )
        return context


class ContactStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_statistics(request.user)
