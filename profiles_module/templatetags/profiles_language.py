"""The language switch of the public pages and of the embedded ones."""

from django import template

from profiles_module.common.language import language_links

register = template.Library()


@register.inclusion_tag("profiles_module/includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this same page in the site's other languages (nothing when the host site
    does not prefix its URLs with the language)."""
    request = context.get("request")
    links = language_links(request, context.get("page")) if request is not None else []
    return {"links": links}
