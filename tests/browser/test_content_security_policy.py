"""Under the site's Content-Security-Policy every page still works: no script, style or
image refused in the public pages, the embedded frames or the admin's editing pages."""

import pytest

from profiles_module.models import Partner, Profile
from tests.factories import make_profile

from . import admin_login, make_admin_user, settle


def watch_violations(page):
    """The policy violations the page reports, in every frame it holds."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.browser
def test_public_pages_and_frames_break_no_rule(page, live_site, map_page, publish_page, partner):
    fiche = make_profile(public_name="Autour de Saint-Étienne")
    violations = watch_violations(page)
    for path in [
        "/",
        map_page.url,
        fiche.get_absolute_url(),
        publish_page.url,
        f"/integration/{partner.slug}{map_page.url}",
        f"/apercu-integration/{partner.slug}/",
    ]:
        page.goto(live_site + path)
        settle(page)
    # The failed form, re-rendered with its errors, too.
    page.goto(live_site + publish_page.url)
    page.get_by_role("button", name="Publier ma fiche").click()
    settle(page)
    assert violations == []

    # The partner's colour, set by the embedded page's only inline style, is applied.
    page.goto(f"{live_site}/integration/{partner.slug}{map_page.url}")
    accent = page.evaluate("getComputedStyle(document.body).getPropertyValue('--fv-accent').trim()")
    assert accent == partner.colour
    assert violations == []


@pytest.mark.browser
def test_a_live_search_in_the_embedded_page_breaks_no_rule(page, live_site, map_page, partner):
    # The embedded page's colours are a <style> under its own response's nonce: a live
    # search reads the new page without applying it, so nothing is refused.
    make_profile(tenure="cooperative")
    violations = watch_violations(page)
    page.goto(f"{live_site}/integration/{partner.slug}{map_page.url}")
    page.wait_for_function("() => window.L")  # the page's main script has run
    page.locator("input[name=tenure][value=cooperative]").check()
    page.wait_for_function(
        "() => (document.querySelector('.fv-search__results').dataset.search || '')"
        ".includes('tenure=cooperative')"
    )
    settle(page)
    assert violations == []


@pytest.mark.browser
def test_the_admin_editing_pages_break_no_rule(page, live_site, partner):
    fiche = make_profile()
    admin_login(page, live_site, make_admin_user())
    violations = watch_violations(page)
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/snippets/profiles_module/profile/edit/{fiche.pk}/",
        f"/admin/snippets/profiles_module/partner/edit/{partner.pk}/",
        "/admin/snippets/profiles_module/profile/",
    ]:
        page.goto(live_site + path)
        settle(page)
    assert violations == []
    assert Profile.objects.count() == 1 and Partner.objects.count() == 1
