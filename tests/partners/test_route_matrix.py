"""Every admin route of the app, for every role: who gets the page and who is turned away.

The table below is the permission matrix of the app's own admin routes (Wagtail's own are
Wagtail's); a route of the app missing from it fails the test, so a new view cannot ship
without its line. Object routes of a fiche are in test_partner_permissions.py.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from profiles_module.publication import tokens
from tests.factories import make_member, make_partner, make_profile
from tests.helpers import admin_paths

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "partner_editor", "national_editor", "superuser"]
NATIONAL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "profiles_module.view_profile",
    "profiles_module.add_profile",
    "profiles_module.change_profile",
    "profiles_module.publish_profile",
    "profiles_module.view_private_details",
    "profiles_module.view_contact_statistics",
    "profiles_module.view_abusereport",
    "profiles_module.change_abusereport",
]
PARTNER, NATIONAL, SUPER = "partner_editor", "national_editor", "superuser"
EDITORS = {PARTNER, NATIONAL, SUPER}
# Route → the roles that get the page; every other role is turned away.
MATRIX = {
    "/admin/snippets/profiles_module/profile/": EDITORS,
    "/admin/snippets/profiles_module/profile/results/": EDITORS,
    # Creating a fiche in the admin is for national editors: it has no territory yet.
    "/admin/snippets/profiles_module/profile/add/": {NATIONAL, SUPER},
    "/admin/snippets/profiles_module/profile/preview/": {NATIONAL, SUPER},  # of a new one
    "/admin/snippets/choose/profiles_module/profile/": EDITORS,
    "/admin/snippets/choose/profiles_module/profile/results/": EDITORS,
    "/admin/snippets/choose/profiles_module/profile/chosen-multiple/": EDITORS,
    "/admin/snippets/choose/profiles_module/profile/create/": {NATIONAL, SUPER},
    # Partners and options are the national team's. Their choosers (Wagtail's, open to
    # any editor, since any form may need to pick one) show names only, which are public.
    "/admin/snippets/profiles_module/partner/": {SUPER},
    "/admin/snippets/profiles_module/partner/results/": {SUPER},
    "/admin/snippets/profiles_module/partner/add/": {SUPER},
    "/admin/snippets/choose/profiles_module/partner/": EDITORS,
    "/admin/snippets/choose/profiles_module/partner/results/": EDITORS,
    "/admin/snippets/choose/profiles_module/partner/chosen-multiple/": EDITORS,
    "/admin/snippets/choose/profiles_module/partner/create/": {SUPER},
    "/admin/snippets/profiles_module/profileoption/": {SUPER},
    "/admin/snippets/profiles_module/profileoption/results/": {SUPER},
    "/admin/snippets/profiles_module/profileoption/add/": {SUPER},
    "/admin/snippets/choose/profiles_module/profileoption/": EDITORS,
    "/admin/snippets/choose/profiles_module/profileoption/results/": EDITORS,
    "/admin/snippets/choose/profiles_module/profileoption/chosen-multiple/": EDITORS,
    "/admin/snippets/choose/profiles_module/profileoption/create/": {SUPER},
    # The national database's projects and the log of their imports: public data,
    # read-only for everyone, superusers included (the importer alone writes them); their
    # choosers, like the others, are open to any editor.
    "/admin/projets/": EDITORS,
    "/admin/projets/results/": EDITORS,
    "/admin/projets/add/": set(),
    "/admin/projets-imports/": EDITORS,
    "/admin/projets-imports/results/": EDITORS,
    "/admin/projets-imports/add/": set(),
    "/admin/snippets/choose/profiles_module/project/": EDITORS,
    "/admin/snippets/choose/profiles_module/project/results/": EDITORS,
    "/admin/snippets/choose/profiles_module/project/chosen-multiple/": EDITORS,
    "/admin/snippets/choose/profiles_module/project/create/": set(),
    "/admin/snippets/choose/profiles_module/projectimport/": EDITORS,
    "/admin/snippets/choose/profiles_module/projectimport/results/": EDITORS,
    "/admin/snippets/choose/profiles_module/projectimport/chosen-multiple/": EDITORS,
    "/admin/snippets/choose/profiles_module/projectimport/create/": set(),
    "/admin/abuse_reports/": EDITORS,
    "/admin/abuse_reports/results/": EDITORS,
    # Reports are made by recipients through their email's link, never in the admin.
    "/admin/abuse_reports/new/": set(),
    "/admin/mises-en-relation/": EDITORS,
    "/admin/mises-en-relation/resultats/": EDITORS,
    # The mailing list: trusted with private details only, which partners never are.
    "/admin/sympathisants/": {NATIONAL, SUPER},
    "/admin/sympathisants/resultats/": {NATIONAL, SUPER},
}
APP_ROUTE_PARTS = (
    "profiles_module",
    "abuse_reports",
    "mises-en-relation",
    "sympathisants",
    "/admin/projets",
)


@pytest.fixture
def as_role(client, request):
    """Sign `client` in as a role; returns the client."""

    def sign_in(role):
        client.logout()
        if role == "owner":
            profile = make_profile(public_name="Stéphane", email="stephane@example.org")
            link = reverse("profiles_module:owner_link", args=[tokens.issue(profile, "manage")])
            assert client.post(link).status_code == 302
        elif role == PARTNER:
            client.force_login(make_member(make_partner().group, "loire"))
        elif role == NATIONAL:
            group = Group.objects.create(name="Équipe nationale")
            for name in NATIONAL_PERMISSIONS:
                app_label, codename = name.split(".")
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            client.force_login(make_member(group, "national"))
        elif role == SUPER:
            client.force_login(request.getfixturevalue("superuser"))
        return client

    return sign_in


def outcome(response):
    """'page' when the route answered its page, else how the role was turned away."""
    if response.status_code == 200:
        return "page"
    if response.status_code == 302 and "/admin/login/" in response.url:
        return "login"
    if response.status_code in {302, 403, 404, 405}:
        return "refused"
    return f"status {response.status_code}"


def test_every_admin_route_of_the_app_is_in_the_matrix():
    routes = {path for path in admin_paths() if any(part in path for part in APP_ROUTE_PARTS)}
    assert routes == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_routes(as_role, role):
    client = as_role(role)
    found = {path: outcome(client.get(path)) for path in MATRIX}
    expected = {
        path: "page"
        if role in allowed
        else ("login" if role in {"anonymous", "owner"} else "refused")
        for path, allowed in MATRIX.items()
    }
    assert {p: o for p, o in found.items() if o != expected[p]} == {}
