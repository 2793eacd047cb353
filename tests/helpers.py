"""Helpers of the tests that are not data: the links of an email, the admin's URLs, and a
scan of every table for leftover personal data, a browser's proof of confirmed senders, a
message written to a household, and what a browser would post from a form."""

import os
import re
import uuid
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from profiles_module.contact.forms import ContactForm
from profiles_module.contact.views import PROOF_COOKIE, proof_value
from profiles_module.models.contact import hash_address


def admin_paths():
    """Every admin URL that takes no argument (listings, reports, dashboards, choosers…)."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and not pattern.pattern.regex.groupindex:
                path = (prefix + route).replace("^", "").replace("$", "")
                if "(" not in path and "\\" not in path:
                    yield "/" + path

    return sorted({p for p in walk(get_resolver().url_patterns, "") if p.startswith("/admin/")})


def assert_no_trace(*needles):
    """Scan every text column of every table for the needles."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        if model._meta.db_table not in connection.introspection.table_names():
            continue
        columns = text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in columns]):
            for value in row:
                text = str(value) if value is not None else ""
                for needle in needles:
                    if needle.lower() in text.lower():
                        found.append((model._meta.label, needle))
    assert found == [], found  # (table, needle) of each leftover


def text_columns(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
    ]


LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def links(message):
    return LINK_RE.findall(message.body)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirm_link(message):
    return next(path_of(url) for url in links(message) if "/confirmer/" in url)


def write_to(client, sender, sender_name, recipient, text):
    """`client` writes to the household `recipient` from a confirmed address."""
    prove_senders(client, sender)
    data = {
        "sender_name": sender_name,
        "sender_address": sender,
        "message": text,
        "website": "",
        "form_token": ContactForm(profile=recipient).initial["form_token"],
    }
    url = reverse("profiles_module:contact", args=[recipient.uid])
    assert client.post(url, data).status_code == 302


def prove_senders(client, *addresses):
    """`client`'s browser confirmed these addresses before: it holds the cookie that
    the confirmation link's POST sets."""
    client.cookies[PROOF_COOKIE] = proof_value([hash_address(address) for address in addresses])


class FormParser(HTMLParser):
    """Collects what a browser would submit from one form (<template> content excluded)."""

    def __init__(self, form_id=None, form_action=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.form_action = form_id, form_action
        self.in_form = False
        self.template_depth = 0
        self.fields = []  # (name, value) pairs, in document order
        self.select = None  # [name, multiple, options as (value, selected)]
        self.option = None  # [value or None, selected, text]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (
            (self.form_id is not None and attrs.get("id") == self.form_id)
            or (self.form_action is not None and attrs.get("action") == self.form_action)
        ):
            self.in_form = True
        if tag == "template":
            self.template_depth += 1
        if not self.in_form or self.template_depth:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = [name, "multiple" in attrs, []]
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif tag == "form":
            self.in_form = False
        elif tag == "option" and self.option is not None:
            value, selected, text = self.option
            self.select[2].append((text.strip() if value is None else value, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None


def admin_form_data(response, form_id="w-editor-form", form_action=None):
    """The data a browser would post from the page's edit form (or the form posting to
    `form_action`): {name: [values]}."""
    parser = FormParser(None if form_action else form_id, form_action)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert "csrfmiddlewaretoken" in data, "edit form not found"
    return data


def postgres_url(name=None):
    """The URL of database `name` (the test database by default) on the tests' PostgreSQL
    server, for another process."""
    from django.db import connection

    database = connection.settings_dict
    server = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
    return f"{server}/{name or database['NAME']}"


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def redis_key_prefix():
    """A unique key prefix on the test Redis server, whose keys are deleted afterwards (the
    server may be shared). Skips the test when Redis is not reachable (fails with CI=true)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL} ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires it")
        pytest.skip(f"{reason}; start Redis or set TEST_REDIS_URL (with CI=true this fails)")
    prefix = f"fv-test-{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
