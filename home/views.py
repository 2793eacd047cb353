"""Views of the host site: a mock partner website with the embed code pasted in."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.models import Locale

from profiles_module.models import Partner
from profiles_module.partners.admin import embed_snippets


def partner_preview(request, slug):
    """A mock of a partner's website with the embed code the admin gives its editors
    pasted in, as it would be on their site (the frames only show where the partner
    allows this site's origin, as the demo partner does)."""
    partner = get_object_or_404(Partner, slug=slug)
    return TemplateResponse(
        request,
        "home/partner_preview.html",
        {"partner": partner, "snippets": embed_snippets(partner, request, Locale.get_active())},
    )
