"""Template context for the app's pages; add it to the host's TEMPLATES options.

    "profiles_module.partners.context_processors.embed"

Without it the pages still work, always in the host's layout (no embed mode).
"""

from functools import partial

from profiles_module.partners.embed import is_embedded, layout_template, national_url, partner_of


def embed(request):
    embedded = is_embedded(request)
    return {
        # The pages extend {{ profiles_layout }}: the embed layout or the host's base.html.
        "profiles_layout": layout_template(request),
        "embed_partner": partner_of(request) if embedded else None,
        # A callable: templates call it, and only the pages that link out of a partner's
        # pages pay for it (a partner site's lookup).
        "profiles_national_url": partial(national_url, request),
    }
