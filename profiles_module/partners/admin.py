"""Admin of the partner associations: the snippet, its copy-paste embed code, and the
dashboard panel of an editor's territory. Registered in wagtail_hooks.py."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page, WorkflowState
from wagtail.snippets.views.snippets import SnippetViewSet

from profiles_module.models import Departement, MapPage, Partner, Profile, PublishPage, Region
from profiles_module.models.partners import editor_territory, scope_to_editor
from profiles_module.partners.embed import embed_prefix


class PartnerForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A hundred départements are only findable in order: by région (sorted by name),
        # then by code inside each; the régions by name.
        if "regions" in self.fields:
            self.fields["regions"].queryset = Region.objects.order_by("name")
        if "departements" in self.fields:
            field = self.fields["departements"]
            field.queryset = Departement.objects.select_related("region").order_by(
                "region__name", "code"
            )
            groups = {}
            for departement in field.queryset:
                groups.setdefault(departement.region.name, []).append(
                    (departement.pk, str(departement))
                )
            field.widget.choices = list(groups.items())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("regions") and not cleaned.get("departements"):
            self.add_error(
                "departements",
                _("Choose at least one région or département: the partner's territory."),
            )
        return cleaned


class EmbedCodePanel(Panel):
    """The iframe and script an editor copies into the partner's website, one per page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "profiles_module/admin/embed_code_panel.html"

        class Media:
            js = ["profiles_module/js/admin-copy.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            partner = self.instance
            context["partner"] = partner
            context["snippets"] = embed_snippets(partner, self.request) if partner.pk else []
            return context


def embed_snippets(partner, request, locale=None):
    """(page, HTML to copy) for each live page a partner can embed, in one language (the
    site's default unless `locale` is given): the embedded pages have a language switch."""
    base = request.build_absolute_uri("/").rstrip("/")
    script = request.build_absolute_uri(static("profiles_module/js/embed.js"))
    pages = (
        Page.objects.live()
        .public()
        .type(MapPage, PublishPage)
        .filter(locale=locale or Locale.get_default())
        .specific()
        .order_by("path")
    )
    snippets = []
    for page in pages:
        url = page.get_url(request=request) or ""
        if url.startswith("http"):
            url = "/" + url.split("/", 3)[3]
        src = f"{base}/{embed_prefix(partner)}{url.lstrip('/')}"
        html = format_html(
            # Sized by attributes, not a style attribute, so that it fits pages whose
            # Content-Security-Policy refuses inline styles; embed.js does the rest.
            '<iframe src="{}" title="{}" data-futurs-voisins width="100%" height="640" '
            'loading="lazy"></iframe>\n'
            '<script src="{}" async></script>',
            src,
            page.title,
            script,
        )
        snippets.append((page, src, html))
    return snippets


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partner associations")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "site"]
    search_fields = ["name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("logo"),
                    FieldPanel("colour", widget=forms.TextInput(attrs={"type": "color"})),
                    MultiFieldPanel(
                        [
                            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
                            FieldPanel("departements", widget=forms.CheckboxSelectMultiple),
                        ],
                        heading=_("Territory"),
                    ),
                    FieldPanel("contact_email"),
                    FieldPanel("site"),
                ],
                heading=_("Association"),
            ),
            ObjectList(
                [FieldPanel("allowed_origins"), EmbedCodePanel(heading=_("Code to copy"))],
                heading=_("Embedding"),
            ),
        ],
        base_form_class=PartnerForm,
    )


def territory_counts(user):
    """How many fiches of the user's territory (all of them for national editors) are
    published, awaiting moderation, awaiting their owner's confirmation, or drafts."""
    fiches = scope_to_editor(Profile.objects.all(), user)
    in_moderation = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Profile),
        object_id__in=fiches.annotate(text_pk=Cast("pk", CharField())).values("text_pk"),
    )
    return {
        "published": fiches.filter(live=True).count(),
        "moderation": in_moderation.count(),
        "confirmation": fiches.filter(awaiting_confirmation=True).count(),
        "drafts": fiches.filter(live=False).count(),
    }


class TerritoryDashboardPanel(Component):
    """The fiches of the editor's territory at a glance on the admin's home page: counts
    only, never a name or an address."""

    name = "territory_fiches"
    order = 50
    template_name = "profiles_module/admin/territory_dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        listing = reverse("wagtailsnippets_profiles_module_profile:list")
        partners = Partner.objects.filter(group__in=self.user.groups.all()).order_by("name")
        return {
            "counts": territory_counts(self.user),
            "partners": list(partners) if editor_territory(self.user) is not None else [],
            "drafts_url": f"{listing}?live=false",
            "listing_url": listing,
        }
