"""The host site's home page, and the pages the demo adds around the app's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from profiles_module.blocks import ContactRelayBlock, ProfileCountBlock
from profiles_module.models import Partner


class HomePage(Page):
    """The host site's home page: what Futurs voisins is, and how many households use it."""

    introduction = RichTextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("count", ProfileCountBlock()),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
        ],
        blank=True,
        verbose_name=_("body"),
        help_text=_("Shown under the introduction: counts of profiles, paragraphs."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each partner's embedded pages, previewed in a mock of its website (home/views.py).
        context["partners"] = Partner.objects.only("name", "slug")
        return context


class ContentPage(Page):
    """A simple page of the host site: paragraphs and contact forms."""

    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("contact", ContactRelayBlock()),
            ("count", ProfileCountBlock()),
        ],
        blank=True,
        verbose_name=_("body"),
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = _("content page")


class LegalPage(Page):
    """A legal text of the host site (legal notice, privacy notice, accessibility
    statement): every public page's footer links to each of them."""

    body = RichTextField(_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    subpage_types = []

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
