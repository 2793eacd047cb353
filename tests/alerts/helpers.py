"""Helpers of the alert tests and of the privacy scans: save a search as a visitor does,
read the alert emails."""

import re

from django.core import mail

from tests.helpers import FormParser, path_of

ACTION_RE = re.compile(r'action="([^"]*/alertes/)"')


def alert_form_data(response, address, frequency=None):
    """What a browser posts from the map page's alert form, with `address` typed in."""
    parser = FormParser(
        form_action=re.search(r'action="([^"]*/alertes/)"', response.content.decode())[1]
    )
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data["address"] = [address]
    if frequency:
        data["frequency"] = [frequency]
    return data


def save_search(client, page_url, address, frequency=None):
    """A visitor opens `page_url` (a map page with its criteria) and saves the search
    with the page's own form."""
    response = client.get(page_url)
    assert response.status_code == 200
    data = alert_form_data(response, address, frequency)
    action = ACTION_RE.search(response.content.decode())[1]
    return client.post(action, data)


def emails_to(address, template_word=""):
    return [m for m in mail.outbox if address in m.to and template_word in m.subject]


def link_in(message, fragment):
    return next(
        path_of(url) for url in re.findall(r"https?://[^\s\"<>]+", message.body) if fragment in url
    )
