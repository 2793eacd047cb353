"""Embed mode ("marque blanche"): partner pages in an iframe, their territory, their
frame-ancestors, attribution of the fiches created through them, CSRF without cookies."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Site

from profiles_module.models import Profile
from tests.factories import make_partner, make_profile, publish_form_data
from tests.helpers import confirm_link

pytestmark = pytest.mark.django_db


def embedded(page_or_path, slug="loire"):
    path = page_or_path if isinstance(page_or_path, str) else page_or_path.url
    return f"/integration/{slug}{path}"


def test_embedded_map_has_the_partner_layout_and_only_its_origins_may_frame_it(
    client, partner, map_page
):
    response = client.get(embedded(map_page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Habitat participatif Loire" in html
    assert "--fv-accent: #8a2d1d" in html
    assert 'class="site-header"' not in html  # the host's header and footer are gone
    policy = response["Content-Security-Policy"]
    directives = [part.strip() for part in policy.split(";")]
    # And this site itself, for its integration preview.
    assert "frame-ancestors 'self' https://www.habitat-loire.example" in directives
    # The rest of the site's policy holds in the frame too.
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "X-Frame-Options" not in response
    # The private contact address of the partner never reaches the page.
    assert "contact@habitat-loire.example" not in html
    # Opened alone, the page names its (empty) icon: no request for /favicon.ico.
    assert '<link rel="icon" href="data:,">' in html


def test_the_normal_pages_may_not_be_framed(client, partner, map_page):
    response = client.get(map_page.url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "Habitat participatif Loire" not in response.content.decode()


def test_a_partner_without_origins_cannot_be_framed_elsewhere(client, map_page):
    make_partner(slug="sans-site", allowed_origins="")
    response = client.get(embedded(map_page, "sans-site"))
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "frame-ancestors 'self'" in directives


def test_unknown_partner_and_the_admin_are_not_embeddable(client, partner, map_page):
    assert client.get(embedded(map_page, "inconnue")).status_code == 404
    assert client.get("/integration/loire/admin/").status_code == 404
    assert client.get("/integration/loire/admin/login/").status_code == 404


def test_embedded_results_stay_in_the_partner_territory_and_links_stay_in_the_frame(
    client, partner, map_page
):
    loire = make_profile(public_name="Stéphane", commune="42218")
    lyon = make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    html = client.get(embedded(map_page)).content.decode()
    assert "Stéphane" in html and "Lyonnais" not in html
    assert f'href="/integration/loire/futurs-voisins/fiches/{loire.uid}/' in html
    # The same page outside the frame covers all of France.
    html = client.get(map_page.url).content.decode()
    assert "Stéphane" in html and "Lyonnais" in html
    # A profile page outside the territory does not exist in the frame.
    assert client.get(embedded(lyon.get_absolute_url())).status_code == 404
    assert client.get(embedded(loire.get_absolute_url())).status_code == 200
    assert client.get(lyon.get_absolute_url()).status_code == 200


def test_embedded_api_is_limited_to_the_territory(client, partner):
    make_profile(public_name="Stéphane", commune="42218")
    make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    data = client.get(embedded("/futurs-voisins/api/v1/profiles/")).json()
    assert [item["public_name"] for item in data["results"]] == ["Stéphane"]


def test_form_in_a_frame_submits_without_the_csrf_cookie_when_the_origin_is_ours(
    partner, publish_page
):
    browser = Client(enforce_csrf_checks=True)
    url = embedded(publish_page)
    # No cookie at all (a blocked third-party cookie), the Origin of this site.
    response = browser.post(url, publish_form_data(), HTTP_ORIGIN="http://testserver")
    # Stored, and the thanks page is in the frame too.
    assert response.status_code == 302
    assert response["Location"] == "/integration/loire/publier/?sent=1"
    assert Profile.objects.get().partner == partner


@pytest.mark.parametrize("origin", ["https://evil.example", "null"])
def test_form_in_a_frame_is_refused_from_another_origin(partner, publish_page, origin):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(embedded(publish_page), publish_form_data(), HTTP_ORIGIN=origin)
    assert response.status_code == 403
    assert not Profile.objects.exists()


def test_form_in_a_frame_without_origin_still_needs_the_csrf_token(partner, publish_page):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(embedded(publish_page), publish_form_data()).status_code == 403
    assert not Profile.objects.exists()


def test_outside_a_frame_the_cookie_and_token_are_still_required(partner, publish_page):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(publish_page.url, publish_form_data(), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403


def test_fiches_published_through_a_partner_are_attributed_to_it(client, partner, publish_page):
    client.post(embedded(publish_page), publish_form_data())
    profile = Profile.objects.get()
    assert profile.partner == partner
    # The confirmation link works (it leads back into the partner's pages).
    client.post(confirm_link(mail.outbox[-1]))
    profile.refresh_from_db()
    assert profile.live and profile.partner == partner


def test_fiches_published_on_the_main_site_have_no_partner(client, partner, publish_page):
    client.post(publish_page.url, publish_form_data())
    assert Profile.objects.get().partner is None


def test_a_partner_site_defaults_to_its_territory_and_attributes_its_fiches(
    client, home, map_page, publish_page
):
    site = Site.objects.create(
        hostname="loire.futurs-voisins.example", port=80, root_page=home, site_name="Loire"
    )
    partner = make_partner(site=site)
    make_profile(public_name="Stéphane", commune="42218")
    make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    html = client.get(map_page.url, HTTP_HOST="loire.futurs-voisins.example").content.decode()
    assert "Stéphane" in html and "Lyonnais" not in html
    assert 'class="site-header"' in html  # a partner site keeps its normal layout
    client.post(publish_page.url, publish_form_data(), HTTP_HOST="loire.futurs-voisins.example")
    assert Profile.objects.get(email="dominique@example.org").partner == partner


# --- the Partner snippet's validation


@pytest.mark.parametrize(
    ("colour", "valid"),
    [("#8a2d1d", True), ("#1d5f8a", True), ("#ffcc00", False), ("#fff", False), ("red", False)],
)
def test_partner_colour_must_be_readable_on_white(colour, valid):
    from django.core.exceptions import ValidationError

    from profiles_module.models.partners import validate_colour

    if valid:
        validate_colour(colour)
    else:
        with pytest.raises(ValidationError):
            validate_colour(colour)


@pytest.mark.parametrize(
    ("origins", "valid"),
    [
        ("https://www.exemple.fr\nhttps://asso.example:8443", True),
        ("http://localhost:8000", True),
        ("http://www.exemple.fr", False),  # not https
        ("https://www.exemple.fr/carte/", False),  # a path
        ("https://*.exemple.fr", False),  # a wildcard
        ("https://exemple.fr 'unsafe-inline'", False),  # CSP injection
        ("https://exemple.fr;script-src *", False),
        ("javascript:alert(1)", False),
    ],
)
def test_partner_origins_are_plain_web_origins(origins, valid):
    from django.core.exceptions import ValidationError

    from profiles_module.models.partners import validate_origins

    if valid:
        validate_origins(origins)
    else:
        with pytest.raises(ValidationError):
            validate_origins(origins)


def test_partner_admin_form_requires_a_territory_and_shows_the_embed_code(
    admin_client, partner, map_page
):
    url = f"/admin/snippets/profiles_module/partner/edit/{partner.pk}/"
    html = admin_client.get(url).content.decode()
    assert "/integration/loire/trouver/" in html and "data-futurs-voisins" in html
    assert "profiles_module/js/embed.js" in html
    data = {
        "name": "Sans territoire",
        "slug": "sans-territoire",
        "colour": "#1d5f8a",
        "allowed_origins": "https://www.exemple.fr",
        "contact_email": "",
    }
    response = admin_client.post("/admin/snippets/profiles_module/partner/add/", data)
    assert response.status_code == 200
    assert "Choose at least one région or département" in response.content.decode() or (
        "Choisissez au moins une région ou un département" in response.content.decode()
    )


def test_home_page_links_to_a_preview_of_each_partner_website(client, partner, map_page):
    home = client.get("/").content.decode()
    assert "/apercu-integration/loire/" in home
    preview = client.get("/apercu-integration/loire/").content.decode()
    assert 'src="http://testserver/integration/loire/trouver/"' in preview
    assert "contact@habitat-loire.example" not in preview
    assert client.get("/apercu-integration/inconnue/").status_code == 404


def test_the_csrf_middleware_is_djangos_own_subclass(settings):
    # Why silencing security.W003 (which looks for Django's class by name) is safe.
    from django.middleware.csrf import CsrfViewMiddleware
    from django.utils.module_loading import import_string

    csrf = [name for name in settings.MIDDLEWARE if "Csrf" in name]
    assert len(csrf) == 1 and issubclass(import_string(csrf[0]), CsrfViewMiddleware)
