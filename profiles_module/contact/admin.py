"""The contact relay's abuse reports in the Wagtail admin (menu "Abuse reports").

Recipients report a message with the link of their email (contact_views.report_abuse);
editors read the reports here and mark them handled. Reports are never added in the
admin. Neither the sender's nor the recipient's address is shown unless the user holds
`profiles_module.view_private_details`, like the profiles' private fields. Partner
editors see only the reports of their territory (permissions.abuse_reports_for), like
the fiches: the listing, its exports and every view of one report. Registered in
wagtail_hooks.py.
"""

from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from profiles_module.contact.views import Recipient
from profiles_module.models import AbuseReport
from profiles_module.models.partners import abuse_reports_for
from profiles_module.partners.permissions import TerritoryPermissionPolicy, guard_object_views

PRIVATE_DETAILS_PERMISSION = "profiles_module.view_private_details"


class AbuseReportPermissionPolicy(TerritoryPermissionPolicy):
    """Django's model permissions, except that nobody adds (or copies) a report: they
    come from the recipients' links only. For partner editors, only the reports of their
    territory, as for the fiches."""

    scope = staticmethod(abuse_reports_for)

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(AbuseReport, AbuseReportPermissionPolicy(AbuseReport))


def recipient_name(message):
    if message.recipient is not None:
        return message.recipient.public_name
    if message.page_id:
        return message.page.title
    return _("(erased profile)")


def recipient_address(message):

    recipient = Recipient.of(message)
    return recipient.address if recipient is not None else "—"


def message_text(message):
    return message.body or _("(erased)")


def when(moment):
    return date_format(localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"


def report_details(report, user):
    """(label, value) of everything an editor sees about a report; the addresses only
    for users allowed to see private details."""
    message = report.message
    rows = [
        (pgettext_lazy("abuse report", "Sender"), message.sender_label),
        (pgettext_lazy("abuse report", "Recipient"), recipient_name(message)),
        (pgettext_lazy("abuse report", "Message sent on"), when(message.created_at)),
        (pgettext_lazy("abuse report", "Message"), linebreaksbr(message_text(message), True)),
        (pgettext_lazy("abuse report", "Message status"), message.get_status_display()),
        (pgettext_lazy("abuse report", "Reported on"), when(report.created_at)),
        (pgettext_lazy("abuse report", "Comment"), linebreaksbr(report.comment or "—", True)),
        (pgettext_lazy("abuse report", "Status"), report.get_status_display()),
    ]
    if user.has_perm(PRIVATE_DETAILS_PERMISSION):
        rows[1:1] = [
            (pgettext_lazy("abuse report", "Sender's address"), message.sender_address_label)
        ]
        rows[3:3] = [
            (pgettext_lazy("abuse report", "Recipient's address"), recipient_address(message))
        ]
    return rows


class AbuseReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Here, not in a get_queryset of the viewset: ModelViewSet (unlike SnippetViewSet)
        # never calls that. Partner editors list and export their territory's reports only.
        queryset = (
            super()
            .get_base_queryset()
            .select_related("message", "message__recipient", "message__page")
        )
        return abuse_reports_for(self.request.user, queryset)

    @cached_property
    def columns(self):
        title_class = self._get_title_column_class(TitleColumn)
        # The state first and few, short columns: the table must fit a 1,280 px screen
        # with the menu open. The message's date is in the inspect view.
        columns = [
            Column(
                "status",
                label=pgettext_lazy("abuse report", "Status"),
                accessor="get_status_display",
                sort_key="status",
            ),
            title_class(
                "sender",
                label=pgettext_lazy("abuse report", "Sender"),
                accessor=lambda report: report.message.sender_label,
                get_url=lambda report: self.get_inspect_url(report) or self.get_edit_url(report),
            ),
            Column(
                "recipient",
                label=pgettext_lazy("abuse report", "Recipient"),
                accessor=lambda report: recipient_name(report.message),
            ),
            Column(
                "created_at",
                label=pgettext_lazy("abuse report", "Reported on"),
                accessor=lambda report: when(report.created_at),
                sort_key="created_at",
            ),
            Column(
                "message",
                label=pgettext_lazy("abuse report", "Message"),
                accessor=lambda report: Truncator(message_text(report.message)).chars(80),
            ),
            Column(
                "comment",
                label=pgettext_lazy("abuse report", "Comment"),
                accessor=lambda report: Truncator(report.comment).chars(80),
            ),
        ]
        if self.request.user.has_perm(PRIVATE_DETAILS_PERMISSION):
            columns[2:2] = [
                Column(
                    "sender_address",
                    label=pgettext_lazy("abuse report", "Sender's address"),
                    accessor="message.sender_address_label",
                )
            ]
            columns[4:4] = [
                Column(
                    "recipient_address",
                    label=pgettext_lazy("abuse report", "Recipient's address"),
                    accessor=lambda report: recipient_address(report.message),
                )
            ]
        return columns


class AbuseReportInspectView(generic.InspectView):
    def get_fields_context(self):
        return [
            {"label": label, "value": value, "component": None}
            for label, value in report_details(self.object, self.request.user)
        ]


class AbuseReportDetailsPanel(Panel):
    """The report, read-only, above the status field of the edit view."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "profiles_module/admin/abuse_report_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["details"] = report_details(self.instance, self.request.user)
            return context


class AbuseReportViewSet(ModelViewSet):
    model = AbuseReport
    icon = "warning"
    menu_label = _("Abuse reports")
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = AbuseReportIndexView
    inspect_view_class = AbuseReportInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_filter = ["status"]
    list_per_page = 50
    ordering = ["-created_at"]
    form_fields = ["status"]

    def get_urlpatterns(self):
        # Every view of one report (edit, inspect, history, usage, delete…) answers 404
        # to a partner editor when the report is outside their territory.
        return guard_object_views(super().get_urlpatterns(), self.model)

    def get_edit_handler(self):
        return ObjectList(
            [
                AbuseReportDetailsPanel(heading=pgettext_lazy("abuse report", "Report")),
                FieldPanel("status"),
            ]
        ).bind_to_model(self.model)
