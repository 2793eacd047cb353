"""What pages cost a visitor's connection: compressed when the browser accepts it, and
not sent again when the browser already has it."""

import gzip

import pytest

from tests.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["map page", "fiche"])
def test_pages_are_compressed(client, map_page, which):
    profile = make_profile(public_name="Alix")
    url = map_page.url if which == "map page" else profile.get_absolute_url()
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 2
    assert "Alix" in gzip.decompress(packed.content).decode()


def test_a_map_page_the_browser_has_is_not_sent_again(client, map_page):
    # (A fiche's page holds its contact form's CSRF token, new on every response.)
    make_profile(public_name="Alix")
    first = client.get(map_page.url)
    again = client.get(map_page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    # A new fiche: the page is sent again.
    make_profile(public_name="Sam")
    changed = client.get(map_page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Sam" in changed.content.decode()
