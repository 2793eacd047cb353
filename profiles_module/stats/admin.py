"""The figures panel of the admin's home page: the public figures of the editor's
territory (all of France for national editors), unmasked since editors see the fiches
themselves, and the activity of the last twelve months: contacts made, fiches created,
confirmed and hidden for want of confirmation. Registered in wagtail_hooks.py."""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from wagtail.admin.ui.components import Component

from profiles_module.contact.stats import COUNTED
from profiles_module.models import ContactMessage, Partner, Profile, ProfileEvent
from profiles_module.models.partners import (
    contact_messages_for,
    editor_territory,
    scope_to_editor,
)
from profiles_module.models.territory import Territory
from profiles_module.stats.charts import cells, columns
from profiles_module.stats.figures import as_date, month_bounds
from profiles_module.stats.views import figures_context

Event = ProfileEvent.Kind

# The lifecycle's events the panel counts, by column: the owner's first submission, the
# confirmation of their address, and the hiding of a fiche nobody confirmed for months.
ACTIVITY_EVENTS = {
    "created": Event.SUBMITTED,
    "confirmed": Event.CONFIRMED,
    "expired": Event.HIDDEN,
}
COLUMNS = ["contacts", *ACTIVITY_EVENTS]


def monthly_activity(user, now=None):
    """Per month of the last twelve, in two GROUP BY queries, for the user's territory:
    [(month, {"contacts", "created", "confirmed", "expired"})], oldest first.

    Not cached: editors check what they just did. Events outlive their fiche, but the
    territory of an erased fiche is unknown, so partner editors count the events of the
    fiches that still exist (national editors count them all).
    """
    start, end, months = month_bounds(now)
    found = {month: dict.fromkeys(COLUMNS, 0) for month in months}
    messages = contact_messages_for(
        user,
        ContactMessage.objects.filter(
            status__in=COUNTED, created_at__gte=start, created_at__lt=end
        ),
    )
    for month, count in (
        messages.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    ):
        found[as_date(month)]["contacts"] += count
    events = ProfileEvent.objects.filter(
        kind__in=ACTIVITY_EVENTS.values(), created_at__gte=start, created_at__lt=end
    )
    if editor_territory(user) is not None:
        events = events.filter(profile__in=scope_to_editor(Profile.objects.all(), user))
    column_of = {kind: column for column, kind in ACTIVITY_EVENTS.items()}
    for month, kind, count in (
        events.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month", "kind")
        .annotate(count=Count("pk"))
        .values_list("month", "kind", "count")
    ):
        found[as_date(month)][column_of[kind]] += count
    return sorted(found.items())


class StatisticsDashboardPanel(Component):
    """Figures of the editor's territory on the admin's home page: counts, never a name."""

    name = "territory_statistics"
    order = 60
    template_name = "profiles_module/admin/statistics_dashboard_panel.html"

    class Media:
        css = {"all": ["profiles_module/css/stats.css"]}

    def __init__(self, user, now=None):
        self.user = user
        self.now = now

    def get_context_data(self, parent_context=None):
        territory = editor_territory(self.user)
        partners = []
        if territory is not None:
            partners = list(
                Partner.objects.filter(group__in=self.user.groups.all()).order_by("name")
            )
        context = figures_context(territory or Territory(), public=False, now=self.now)
        activity = monthly_activity(self.user, self.now)
        context.update(
            partners=partners,
            activity=activity,
            activity_totals={
                column: sum(row[column] for _month, row in activity) for column in COLUMNS
            },
            contacts_chart=columns(
                cells(((month, row["contacts"]) for month, row in activity), public=False)
            ),
        )
        return context
