"""The HTML the map page's templates render, kept per process by what each template is
given: every visitor of a page sees the same lists of options and, for the same search,
the same cards, so each is rendered once rather than on every request (the templates a
host site may override cost a fifth of the page's time when rendered each time)."""

from collections import OrderedDict


class RenderedHTML:
    """HTML by a key holding everything its template is given; bounded, the least
    recently used entries are dropped."""

    def __init__(self, size):
        self.size = size
        self.html = OrderedDict()

    def get(self, key, render):
        try:
            self.html.move_to_end(key)
            return self.html[key]
        except KeyError:
            html = self.html[key] = render()
            if len(self.html) > self.size:
                self.html.popitem(last=False)
            return html


# The search form's lists of options (some twenty per page and territory).
RENDERED_OPTIONS = RenderedHTML(512)
# Result cards: twenty per page of results.
RENDERED_CARDS = RenderedHTML(2000)


def forget_rendered_html(setting, **kwargs):
    """Other templates (a test's TEMPLATES, or a host's own) render other HTML."""
    if setting == "TEMPLATES":
        RENDERED_OPTIONS.html.clear()
        RENDERED_CARDS.html.clear()
