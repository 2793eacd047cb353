"""One regression test per class of Wagtail security advisory that applies to this admin,
tried as a partner editor (the most limited editor the site has).

History, revision comparison, copy and preview of a fiche are tried on a fiche outside
the territory by test_partner_permissions.py (every object view, whatever its URL
arguments); bulk actions on fiches and exports there too. Here: the rest.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site

from profiles_module.models import LifecycleSettings
from tests.factories import make_member, make_partner, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_editor(client):
    client.force_login(make_member(make_partner().group, "loire"))
    return client


def refused(response):
    return response.status_code in {302, 403, 404} and b"csrfmiddlewaretoken" not in (
        response.content
    )


def test_a_settings_edit_url_does_not_let_an_editor_change_the_lifecycle(partner_editor):
    # Settings edited through their URL without the permission (GHSA-xxfm-vmcf-g33f).
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["profiles_module", "lifecyclesettings", site.pk])
    assert refused(partner_editor.get(url))
    response = partner_editor.post(url, {"unconfirmed_days": 1, "erase_months": 1})
    assert response.status_code in {302, 403}
    assert LifecycleSettings.for_site(site).erase_months == 24


def test_bulk_actions_on_users_name_nobody_to_an_editor(partner_editor):
    # User names disclosed through bulk action URLs (GHSA-fc75-58r8-rm3h).
    admin = get_user_model().objects.create_superuser("secret-admin", "root@example.org", "x")
    for action in ("delete", "set_active_state", "assign_role"):
        url = reverse("wagtail_bulk_action", args=["wagtailusers", "user", action])
        response = partner_editor.get(url, {"id": admin.pk})
        assert refused(response), action
        assert b"secret-admin" not in response.content


def test_the_admin_api_lists_no_document_or_image_to_an_editor_without_them(partner_editor):
    # Documents and images API restrictions (GHSA-p5gm-92h4-6pv6).
    for kind in ("documents", "images"):
        response = partner_editor.get(f"/admin/api/main/{kind}/")
        assert response.status_code in {200, 403}
        if response.status_code == 200:
            assert response.json()["meta"]["total_count"] == 0


def test_a_fiche_cannot_be_copied_by_an_editor_who_cannot_create_one(partner_editor):
    # Copy through its URL without the add permission (GHSA-67rv-mg8q-5pf3 for pages;
    # snippets have the same view).
    inside = make_profile(public_name="Stéphane", commune="42218")
    url = reverse("wagtailsnippets_profiles_module_profile:copy", args=[inside.pk])
    assert refused(partner_editor.get(url))
    assert partner_editor.post(url, {"public_name": "Copie"}).status_code in {302, 403, 404}
    assert not type(inside).objects.filter(public_name="Copie").exists()
