"""The HTML the map page's templates render, kept per process by what each template is
given: every visitor of a page sees the same lists of options and, for the same search,
the same cards, so each is rendered once rather than on every request (the templates a
host site may override cost a fifth of the page's time when rendered each time)."""

from profiles_module.common.versions import KeptInProcess

# The search form's lists of options (some twenty per page and territory).
RENDERED_OPTIONS = KeptInProcess(512)
# Result cards: twenty per page of results.
RENDERED_CARDS = KeptInProcess(2000)


def forget_rendered_html(setting, **kwargs):
    """Other templates (a test's TEMPLATES, or a host's own) render other HTML."""
    if setting == "TEMPLATES":
        RENDERED_OPTIONS.entries.clear()
        RENDERED_CARDS.entries.clear()
