"""Every response carries the security headers; public pages run no inline code but what
carries the request's nonce; the admin's weaker policy is the admin's alone."""

import re

import pytest
from django.test import override_settings

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def policy_of(response):
    return dict(
        (part.split(" ", 1) + [""])[:2]
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
    )


def test_a_public_page_runs_only_this_sites_scripts(client, map_page):
    make_profile()
    response = client.get(map_page.url)
    policy = policy_of(response)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    # The map's tiles are the only images from elsewhere.
    assert policy["img-src"] == "'self' data: https://*.tile.openstreetmap.org"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    # And the page itself holds no inline script a nonce would have to allow.
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)


def test_an_embedded_pages_inline_style_carries_the_nonce_of_its_header(client, partner, map_page):
    response = client.get(f"/integration/{partner.slug}{map_page.url}")
    header_nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["style-src"])[1]
    style = re.search(r"<style nonce=\"([^\"]+)\">", response.content.decode())
    assert style is not None and style[1] == header_nonce
    # Each request gets its own.
    again = client.get(f"/integration/{partner.slug}{map_page.url}")
    assert header_nonce not in again["Content-Security-Policy"]


def test_the_admin_alone_allows_wagtails_inline_scripts(client, superuser):
    client.force_login(superuser)
    admin = policy_of(client.get("/admin/"))
    assert admin["script-src"] == "'self' 'unsafe-inline'"
    assert admin["object-src"] == "'none'" and admin["frame-ancestors"] == "'self'"
    login_page = client.get("/admin/login/")
    assert "'unsafe-inline'" in login_page["Content-Security-Policy"]
    assert "unsafe" not in client.get("/").get("Content-Security-Policy", "")


@override_settings(SESSION_COOKIE_NAME="__Host-sessionid", SESSION_COOKIE_SECURE=True)
def test_the_contact_proof_cookie_takes_the_host_prefix_with_the_session_cookie():
    from profiles_module.contact.views import proof_cookie_name

    assert proof_cookie_name() == "__Host-fv_contact_sender"
    with override_settings(SESSION_COOKIE_NAME="sessionid"):
        assert proof_cookie_name() == "fv_contact_sender"
