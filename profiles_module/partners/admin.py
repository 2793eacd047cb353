"""Admin of the partner associations: the snippet and its copy-paste embed code.
Registered in wagtail_hooks.py."""

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from profiles_module.models import MapPage, Partner, PublishPage
from profiles_module.partners.embed import embed_prefix


class PartnerForm(WagtailAdminModelForm):
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

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            partner = self.instance
            context["partner"] = partner
            context["snippets"] = embed_snippets(partner, self.request) if partner.pk else []
            return context


def embed_snippets(partner, request):
    """(page, HTML to copy) for each live page a partner can embed."""
    base = request.build_absolute_uri("/").rstrip("/")
    script = request.build_absolute_uri(static("profiles_module/js/embed.js"))
    pages = Page.objects.live().public().type(MapPage, PublishPage).specific().order_by("path")
    snippets = []
    for page in pages:
        url = page.get_url(request=request) or ""
        if url.startswith("http"):
            url = "/" + url.split("/", 3)[3]
        src = f"{base}/{embed_prefix(partner)}{url.lstrip('/')}"
        html = format_html(
            '<iframe src="{}" title="{}" data-futurs-voisins '
            'style="width:100%;min-height:40rem;border:0" loading="lazy"></iframe>\n'
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
                            FieldPanel("departements"),
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
