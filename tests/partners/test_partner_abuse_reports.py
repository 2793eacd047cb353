"""Abuse reports per territory: a partner's editors see and handle the reports
about messages to the fiches of their territory, and no other, in every admin view.

The partner's territory is the Loire (42): Stéphane's fiche is in it, Lyonnais's (Rhône,
69) is not. Each report is told apart by its sender's name.
"""

import csv
import importlib
import io
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from profiles_module.models import AbuseReport, ContactMessage
from tests.factories import make_member, make_partner, make_profile
from tests.helpers import admin_paths

pytestmark = pytest.mark.django_db

INSIDE, OUTSIDE = "Sacha", "Maxime"
ADDRESSES = ["stephane@example.org", "lyon@example.org", "sacha@example.net"]
# The views of one report: Wagtail's ModelViewSet URL names.
OBJECT_VIEWS = ["edit", "inspect", "history", "history_results", "usage", "delete"]


def report(sender, recipient=None, codes=("", ""), page=None):
    message = ContactMessage.objects.create(
        recipient=recipient,
        recipient_uid=recipient.uid if recipient else uuid.uuid4(),
        page=page,
        sender_name=sender,
        sender_email=f"{sender.lower()}@example.net",
        body=f"Message de {sender}",
        status=ContactMessage.Status.SENT,
        region_code=codes[0],
        departement_code=codes[1],
    )
    return AbuseReport.objects.create(message=message, comment="Insistant.")


@pytest.fixture
def reports():
    inside = make_profile(public_name="Stéphane", commune="42218", email="stephane@example.org")
    outside = make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    return report(INSIDE, inside, ("84", "42")), report(OUTSIDE, outside, ("84", "69"))


@pytest.fixture
def national_editor():
    group = Group.objects.create(name="Modération des messages")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_abusereport", "change_abusereport"]
        )
    )
    return make_member(group, "national")


def senders_in(text, names=(INSIDE, OUTSIDE)):
    return {name for name in names if name in text}


def listed(client, name="index", query=""):
    response = client.get(reverse(f"abuse_reports:{name}") + query)
    assert response.status_code == 200
    return response.content.decode()


def exported_rows(client):
    """The data rows of the listing's CSV export. The viewset names no export columns,
    so the rows are empty but there is one per report Wagtail would export."""
    response = client.get(reverse("abuse_reports:index") + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))[1:]


# --- the partner group


def test_the_partner_group_may_view_and_handle_reports_not_add_or_delete():
    codenames = set(make_partner().group.permissions.values_list("codename", flat=True))
    assert {"view_abusereport", "change_abusereport"} <= codenames
    assert not {"add_abusereport", "delete_abusereport", "view_private_details"} & codenames


def test_the_migration_gives_existing_partner_groups_the_report_permissions():
    group = make_partner().group
    group.permissions.remove(*Permission.objects.filter(content_type__model="abusereport"))
    migration = importlib.import_module("profiles_module.migrations.0014_partner_abuse_reports")
    migration.grant(apps, None)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_abusereport", "change_abusereport"} <= codenames
    migration.revoke(apps, None)
    assert not group.permissions.filter(content_type__model="abusereport").exists()


# --- listing, export, views of one report


def test_partner_editor_lists_and_exports_only_the_reports_of_its_territory(
    client, reports, partner_editor
):
    client.force_login(partner_editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("abuse_reports:index") in home
    assert senders_in(listed(client)) == {INSIDE}
    assert senders_in(listed(client, "index_results")) == {INSIDE}
    assert senders_in(listed(client, query="?status=new")) == {INSIDE}
    assert len(exported_rows(client)) == 1


@pytest.mark.parametrize("role", ["national_editor", "superuser"])
def test_national_editors_and_superusers_see_every_report(client, reports, role, request):
    client.force_login(request.getfixturevalue(role))
    assert senders_in(listed(client)) == {INSIDE, OUTSIDE}
    assert len(exported_rows(client)) == 2
    for each in reports:
        url = reverse("abuse_reports:inspect", args=[each.pk])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("view", OBJECT_VIEWS)
def test_partner_editor_cannot_reach_a_report_outside_its_territory(
    client, reports, partner_editor, view
):
    inside, outside = reports
    client.force_login(partner_editor)
    assert client.get(reverse(f"abuse_reports:{view}", args=[outside.pk])).status_code == 404
    # Inside: allowed, or refused by the model permissions (no delete), never a 404.
    response = client.get(reverse(f"abuse_reports:{view}", args=[inside.pk]))
    assert response.status_code in {200, 302, 403}


def test_partner_editor_inspects_and_edits_a_report_of_its_territory(
    client, reports, partner_editor
):
    inside, _outside = reports
    client.force_login(partner_editor)
    for view in ("inspect", "edit"):
        response = client.get(reverse(f"abuse_reports:{view}", args=[inside.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert INSIDE in html and "Stéphane" in html and "Insistant." in html


def test_partner_editor_marks_a_report_of_its_territory_handled_and_no_other(
    client, reports, partner_editor
):
    inside, outside = reports
    client.force_login(partner_editor)
    edit = "abuse_reports:edit"
    assert client.post(reverse(edit, args=[outside.pk]), {"status": "handled"}).status_code == 404
    assert client.post(reverse(edit, args=[inside.pk]), {"status": "handled"}).status_code == 302
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.status == AbuseReport.Status.HANDLED
    assert outside.status == AbuseReport.Status.NEW


def test_partner_editor_sees_no_address(client, reports, partner_editor):
    inside, _outside = reports
    client.force_login(partner_editor)
    pages = [
        listed(client),
        client.get(reverse("abuse_reports:inspect", args=[inside.pk])).content.decode(),
        client.get(reverse("abuse_reports:edit", args=[inside.pk])).content.decode(),
    ]
    for html in pages:
        assert not [address for address in ADDRESSES if address in html]


# --- reports without a fiche


def test_without_a_fiche_the_territory_stored_with_the_message_decides(
    client, partner_editor, national_editor
):
    """Reports on messages to an erased fiche follow the territory the message stored, as
    the contact statistics do; those to a contact block's fixed address have none and
    stay with the national team."""
    home = Site.objects.get(is_default_site=True).root_page
    report("Alix", codes=("84", "42"))  # an erased fiche of the Loire
    report("Noa", codes=("84", "69"))  # an erased fiche of the Rhône
    page_report = report("Eden", page=home)  # a contact block of a page
    names = ("Alix", "Noa", "Eden")
    client.force_login(partner_editor)
    assert senders_in(listed(client), names) == {"Alix"}
    url = reverse("abuse_reports:inspect", args=[page_report.pk])
    assert client.get(url).status_code == 404
    client.force_login(national_editor)
    assert senders_in(listed(client), names) == {"Alix", "Noa", "Eden"}
    assert client.get(url).status_code == 200


# --- every other admin page


@pytest.fixture
def handled_by_the_national_team(reports, national_editor):
    """Both reports marked handled by a national editor (in another browser, so that
    its "saved" messages stay out of the partner's pages): the edits are logged."""
    browser = Client()
    browser.force_login(national_editor)
    for each in reports:
        url = reverse("abuse_reports:edit", args=[each.pk])
        assert browser.post(url, {"status": "handled"}).status_code == 302
    return reports


SITE_HISTORY = ["/admin/reports/site-history/", "/admin/reports/site-history/results/"]


def test_no_admin_page_shows_a_partner_editor_a_report_outside_its_territory(
    client, handled_by_the_national_team, partner_editor
):
    """A crawl of every admin page without arguments (and their CSV forms), as in
    test_partner_permissions; the site history is the next test's."""
    client.force_login(partner_editor)
    skipped = {"/admin/logout/", "/admin/failwhale/", *SITE_HISTORY}
    seen, leaks = 0, []
    for path in admin_paths():
        if path in skipped or "*" in path:
            continue
        response = client.get(path)
        if response.status_code != 200:
            continue
        seen += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if OUTSIDE in body.decode(errors="replace"):
            leaks.append(path)
    assert leaks == [], "\n".join(leaks)
    assert seen > 10


def test_site_history_shows_a_partner_editor_only_the_reports_of_its_territory(
    client, handled_by_the_national_team, partner_editor
):
    client.force_login(partner_editor)
    html = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert senders_in(html) == {INSIDE}
