"""Nothing private leaks: crawl every public page and endpoint of a seeded site."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from profiles_module.models import Profile, SearchAlert
from profiles_module.models.profiles import PUBLIC_FIELDS
from tests.factories import make_map_page

pytestmark = pytest.mark.django_db

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_INPUT_MARKUP_RE = re.compile(r'type="email"|autocomplete="email"')
PRIVATE_NAMES = ("email", "news_consent", "publication_consent")
HAS_SEED = (
    Path(__file__).resolve().parent.parent / "profiles_module/management/commands/seed_demo.py"
).exists()


def seed_site(count=40):
    if HAS_SEED:
        call_command("seed_demo", profiles=count, seed=7, verbosity=0)
    else:  # pragma: no cover
        from tests.factories import make_profile

        for index in range(count):
            make_profile(public_name=f"P{index}", email=f"p{index}@example.org")
    # Every owner shows their contribution on some profiles, hides it on others.
    Profile.objects.filter(pk__in=Profile.objects.values("pk")[:10]).update(financing_public=True)


def assert_clean(url, body, emails):
    text = body.decode()
    for email in emails:
        assert email not in text, f"{url} shows {email}"
    match = EMAIL_RE.search(text)
    assert match is None, f"{url} shows an email address: {match.group(0)}"
    # An empty email input (the contact form's sender address) holds no data; only
    # its markup may say "email".
    text = EMAIL_INPUT_MARKUP_RE.sub("", text)
    for name in PRIVATE_NAMES:
        assert name not in text, f"{url} mentions {name}"


def test_no_private_data_in_any_public_page_or_endpoint(client, settings):
    settings.PROFILES_SEARCH_PAGE_SIZE = 10
    seed_site()
    national = make_map_page()
    regional = make_map_page("En Auvergne-Rhône-Alpes", regions=["84"])
    # Searches saved with an address, one confirmed, one waiting.
    for address, page in (("alerte.a@example.net", national), ("alerte.b@example.net", regional)):
        SearchAlert.objects.create(email=address, page=page, query="departement=42")
    SearchAlert.objects.filter(email="alerte.a@example.net").update(confirmed_at=timezone.now())
    emails = set(Profile.objects.values_list("email", flat=True))
    emails |= set(SearchAlert.objects.values_list("email", flat=True))
    assert emails
    urls = ["/", national.url, regional.url]
    for page in (national, regional):
        urls += [f"{page.url}?page={n}" for n in range(1, 6)]
        urls += [f"{page.url}?q=nous", f"{page.url}?commune=69123&km=50&sort=nearest"]
    for query in ("", "?page=2&page_size=20", "?financing=75k_150k", "?social_housing=yes"):
        urls += [
            f"/futurs-voisins/api/v1/profiles/{query}",
            f"/futurs-voisins/api/v1/profiles.geojson{query}",
        ]
    for zoom, bbox in ((5, "-10,40,15,52"), (9, "3,44,6,47"), (14, "4.7,45.6,5.0,45.9")):
        urls.append(f"/futurs-voisins/api/v1/profiles/map/?zoom={zoom}&bbox={bbox}")
    for profile in Profile.objects.public():
        urls.append(profile.get_absolute_url())
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_clean(url, response.content, emails)


def test_hidden_contribution_cannot_be_found_by_filtering(client):
    from tests.factories import make_profile

    make_profile(financing_band="gt300k", financing_public=False, social_housing_eligible=False)
    for query in ("financing=gt300k", "social_housing=no"):
        response = client.get(f"/futurs-voisins/api/v1/profiles/?{query}")
        assert response.json()["count"] == 0


def test_search_index_holds_public_texts_only():
    indexed = {field.field_name for field in Profile.search_fields}
    assert indexed <= set(PUBLIC_FIELDS) | {"live"}
    assert "email" not in indexed
