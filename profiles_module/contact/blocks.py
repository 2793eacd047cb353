"""The contact relay's StreamField block, and how its form finds it in a page.

`ContactRelayBlock` (stable import path: `profiles_module.blocks.ContactRelayBlock`): a
contact form relayed by email to a household (a profile) or to a fixed address kept
private (e.g. the regional coordinators). The address stays in the page's StreamField
(its JSON and revisions, never its HTML): the form posts to `contact_block`, which finds
the block by page id and block id in the live page and relays to its recipient.

Hosts must render the page's StreamField with `{% include_block %}`, so that the
block's template gets `request` (CSRF token) and `page`: `{{ page.body }}` renders the
blocks without the template's context.
"""

from django import forms
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import StreamField
from wagtail.snippets.blocks import SnippetChooserBlock

from profiles_module.contact.forms import ContactForm


class ContactRelayBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    profile = SnippetChooserBlock(
        "profiles_module.Profile",
        label=_("Recipient: a household"),
        required=False,
    )
    address = blocks.EmailBlock(
        label=_("Recipient: a private address"),
        required=False,
        help_text=_(
            "Never shown on the site: messages are relayed to it by email. "
            "Fill in either a household or an address."
        ),
    )

    class Meta:
        icon = "mail"
        template = "profiles_module/blocks/contact_relay.html"
        label = _("Contact form")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("profile")) == bool(value.get("address")):
            message = _("Choose either a household or a private address.")
            raise StructBlockValidationError(
                block_errors={
                    "profile": forms.ValidationError(message),
                    "address": forms.ValidationError(message),
                }
            )
        return value

    def get_context(self, value, parent_context=None):

        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        page = parent_context.get("page")
        block_id = parent_context.get("block_id") or (page and find_block_id(page, value))
        context["contact_available"] = bool(page and page.pk and block_id)
        if context["contact_available"]:
            target = block_target(page.pk, block_id)
            request = parent_context.get("request")
            sent = request is not None and request.GET.get("contact") or ""
            if request is not None and "csrf_token" not in context:
                # Block.render() renders its template without the request, so nothing
                # else gives {% csrf_token %} its value there (the view re-rendering
                # the block after an error does this); {% include_block %} passes it.
                context["csrf_token"] = get_token(request)
            context.update(
                {
                    "block_id": block_id,
                    "contact_action": reverse(
                        "profiles_module:contact_block", args=[page.pk, block_id]
                    ),
                    "contact_form": parent_context.get("contact_form")
                    or ContactForm(target=target),
                    "contact_sent": sent == "sent",
                    "contact_verify": sent == "verify",
                }
            )
        return context


def block_target(page_id, block_id):
    """What the form token of a block's form is signed for."""
    return f"block:{page_id}:{block_id}"


def stream_children(page):
    """Every top-level child of every StreamField of a (specific) page."""
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            yield from getattr(page, field.name) or []


def find_block_id(page, value):
    """The id of the child holding `value` (the same object the template renders)."""
    for child in stream_children(page):
        if child.value is value:
            return child.id
    return None


def find_relay_block(page, block_id):
    """The value of the ContactRelayBlock `block_id` of a page, or None."""
    for child in stream_children(page):
        if child.id == block_id and isinstance(child.block, ContactRelayBlock):
            return child.value
    return None


# Host migrations record the block under the app's public blocks module, where it has
# always been importable: keep that path when Wagtail deconstructs it.
DECONSTRUCT_ALIASES = {ContactRelayBlock: "profiles_module.blocks.ContactRelayBlock"}
