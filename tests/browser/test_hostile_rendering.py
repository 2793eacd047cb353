"""Hostile text stored anywhere an editor or a household can write is shown as text, never
run: every page that shows it, public and admin, is opened in Chromium and no payload
executes (no script, no event handler, no javascript: link followed, no dialog).

The payloads are written straight into the rows, past every validator (rich text excepted: it
holds what the editor stores), so the test holds whatever path stored them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from profiles_module.models import MapPage, Partner, Profile, ProfileOption
from tests.factories import make_map_page, make_partner, make_profile

from . import settle

MARK = "window.__pwned = (window.__pwned || 0) + 1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'"><img src=x onerror="{MARK}">',
    f'\'><svg onload="{MARK}">',
    f"javascript:{MARK}",
    f"</textarea><script>{MARK}</script>",
    f"</title><script>{MARK}</script>",
    "{{ request.user }}{% debug %}",
]
HOSTILE = " ".join(PAYLOADS)


def fitting(model, field):
    """As many payloads as the column holds, whole."""
    limit = model._meta.get_field(field).max_length
    if limit is None:
        return HOSTILE
    kept = []
    for payload in PAYLOADS:
        if len(" ".join([*kept, payload])) <= limit:
            kept.append(payload)
    return " ".join(kept)


@pytest.fixture
def hostile_site(live_site):
    """A fiche, a partner, an option and a map page whose texts are every payload."""
    profile = make_profile(public_name="Stéphane", presentation="Bonjour")
    option = ProfileOption.objects.filter(category="value").first()
    profile.values.add(option)
    Profile.objects.filter(pk=profile.pk).update(
        public_name=fitting(Profile, "public_name"),
        presentation=HOSTILE,
        values_other=fitting(Profile, "values_other"),
    )
    ProfileOption.objects.filter(pk=option.pk).update(label=fitting(ProfileOption, "label"))
    partner = make_partner()
    Partner.objects.filter(pk=partner.pk).update(name=fitting(Partner, "name"))
    page = make_map_page()
    # Rich text holds what the editor stores: the typed payload as escaped text.
    MapPage.objects.filter(pk=page.pk).update(
        title=fitting(MapPage, "title"), introduction=f"<p>{escape(HOSTILE)}</p>"
    )
    page.refresh_from_db()
    page.save_revision().publish()
    return {"profile": Profile.objects.get(pk=profile.pk), "page": page, "partner": partner}


def visit(page, url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(url)
    settle(page)
    assert response.status < 500, url
    executed = page.evaluate("() => window.__pwned || 0")
    return executed, dialogs


@pytest.mark.browser
def test_no_stored_payload_runs_on_any_page_that_shows_it(admin_page, live_site, hostile_site):
    profile, map_page = hostile_site["profile"], hostile_site["page"]
    snippet = "wagtailsnippets_profiles_module_profile"
    urls = [
        map_page.url,
        f"{map_page.url}?q=st%C3%A9phane",
        profile.get_absolute_url(),
        reverse(f"{snippet}:list"),
        reverse(f"{snippet}:inspect", args=[profile.pk]),
        reverse(f"{snippet}:edit", args=[profile.pk]),
        reverse("wagtailsnippets_profiles_module_partner:list"),
        reverse("wagtailsnippets_profiles_module_partner:edit", args=[hostile_site["partner"].pk]),
        reverse("wagtailsnippets_profiles_module_profileoption:list"),
        reverse("wagtailadmin_pages:edit", args=[map_page.pk]),
        reverse("wagtailadmin_explore", args=[map_page.get_parent().pk]),
        reverse("wagtailadmin_home"),
    ]
    ran = {}
    for url in urls:
        executed, dialogs = visit(admin_page, live_site + url)
        if executed or dialogs:
            ran[url] = (executed, dialogs)
    assert ran == {}
    print(f"{len(urls)} pages rendered with {len(PAYLOADS)} payloads: 0 ran")
