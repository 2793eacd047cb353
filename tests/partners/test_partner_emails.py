"""The emails of a fiche published through a partner: its name, logo and colour, and links
that lead back into the partner's pages, even when sent months later by the lifecycle."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from profiles_module.conf import app_settings
from profiles_module.publication import emails
from tests.factories import make_partner, make_profile

pytestmark = pytest.mark.django_db


def links(message):
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def html_of(message):
    return message.alternatives[0][0]


def test_a_fiche_published_in_a_frame_gets_the_partners_branding_and_links(client):
    logo = Image.objects.create(title="Logo Loire", file=get_test_image_file())
    partner = make_partner(logo=logo)
    profile = make_profile(public_name="Stéphane", commune="42218", partner=partner)
    emails.queue_email(profile, "manage_link")  # outside any request, as the lifecycle does

    message = mail.outbox[-1]
    manage = next(url for url in links(message) if "/integration/loire/" in url)
    assert "Habitat participatif Loire" in message.body
    html = html_of(message)
    assert "Habitat participatif Loire" in html and "#8a2d1d" in html
    assert re.search(r'<img src="http://[^"]+/media/images/[^"]+"', html)
    # The link works: the owner lands, signed in, in the partner's pages.
    path = urlsplit(manage).path
    assert "Habitat participatif Loire" in client.get(path).content.decode()  # partner layout
    response = client.post(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/integration/loire/")
    assert "Stéphane" in response.content.decode()


def test_a_fiche_of_a_partner_site_links_to_that_site_without_a_frame():
    home = Site.objects.get(is_default_site=True).root_page
    site = Site.objects.create(hostname="loire.example", port=80, root_page=home)
    partner = make_partner(site=site)
    profile = make_profile(public_name="Stéphane", commune="42218", partner=partner, site=site)
    emails.queue_email(profile, "manage_link")

    message = mail.outbox[-1]
    assert all(url.startswith("http://loire.example/") for url in links(message))
    assert not any("/integration/" in url for url in links(message))
    assert "Habitat participatif Loire" in message.body


def test_a_fiche_without_partner_keeps_the_national_look():
    make_partner()
    profile = make_profile(public_name="Camille", commune="42218")
    emails.queue_email(profile, "manage_link")

    message = mail.outbox[-1]
    assert not any("/integration/" in url for url in links(message))
    assert "Habitat participatif Loire" not in message.body
    assert app_settings.EMAIL_LINK_COLOUR in html_of(message) and "#8a2d1d" not in html_of(message)
