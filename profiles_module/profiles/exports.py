"""The supporters report ("Sympathisants"): the network's mailing list, built from consent.

Only confirmed households that agreed to the network's news are in it, with only what
that consent needs (name, address, date of consent, wished sectors, partner), for users
trusted with private details; partner editors get their territory's. The fiches listing
and its export never carry an address that is not here.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from profiles_module.models.partners import scope_to_editor
from profiles_module.models.profiles import Profile
from profiles_module.profiles.admin import PRIVATE_DETAILS_PERMISSION


def can_view_supporters(user):
    return user.has_perm(PRIVATE_DETAILS_PERMISSION)


class SupportersView(ReportView):
    page_title = _("Supporters")
    header_icon = "mail"
    index_url_name = "profiles_module_supporters"
    index_results_url_name = "profiles_module_supporters_results"
    columns = [
        Column("public_name", label=_("Public name")),
        Column("email", label=_("Email address")),
        DateColumn("news_consent_at", label=_("News consent given on")),
        Column("sectors_label", label=_("Wished sectors")),
        Column("partner", label=_("Partner")),
    ]
    list_export = ["public_name", "email", "news_consent_at", "sectors_label", "partner"]
    export_headings = {
        "public_name": _("Public name"),
        "email": _("Email address"),
        "news_consent_at": _("News consent given on"),
        "sectors_label": _("Wished sectors"),
        "partner": _("Partner"),
    }
    export_filename = "sympathisants-futurs-voisins"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_supporters(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        supporters = (
            Profile.objects.filter(news_consent=True, awaiting_confirmation=False)
            .exclude(email="")
            .select_related("partner")
            .prefetch_related("sectors__commune", "sectors__departement", "sectors__region")
            .order_by("-news_consent_at", "pk")
        )
        return scope_to_editor(supporters, self.request.user)


class SupportersMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_supporters(request.user)
