"""Helpers of the tests that are not data: the links of an email, the admin's URLs, and a
scan of every table for leftover personal data, a browser's proof of confirmed senders."""

import re

from django.apps import apps
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver

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


def prove_senders(client, *addresses):
    """`client`'s browser confirmed these addresses before: it holds the cookie that
    the confirmation link's POST sets."""
    client.cookies[PROOF_COOKIE] = proof_value([hash_address(address) for address in addresses])
