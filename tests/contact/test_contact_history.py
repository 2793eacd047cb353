"""The contact relay's history: the owner's "my exchanges" page and data
download, the territory stored on each message, and the editors' "Mises en relation"
report in the Wagtail admin."""

import csv
import importlib
import io
import json
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profiles_module.contact.stats import first_of_month
from profiles_module.contact.views import Recipient, send_contact_message
from profiles_module.demo.contacts import create_demo_contacts
from profiles_module.demo.profiles import EMAIL_DOMAIN, create_demo_profiles
from profiles_module.models import (
    ContactMessage,
    Departement,
    Profile,
    Region,
    Sector,
)
from profiles_module.models.contact import territory_of
from profiles_module.publication import lifecycle, tokens
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

Status = ContactMessage.Status
OWNER = "Maelle.Owner@Example.org"  # mixed case: compared case-insensitively
OTHER = "octavien@example.org"
SACHA = "sacha@example.net"
COORDINATION = "coordination@example.org"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
STATS_URL = reverse("profiles_module_contact_stats")


@pytest.fixture
def owner_profile():
    return make_profile(public_name="Maëlle", email=OWNER)  # Saint-Étienne: 42, région 84


@pytest.fixture
def other_profile():
    return make_profile(public_name="Octavien", email=OTHER, commune="75056")  # Paris


def sign_in(client, profile):
    link = reverse("profiles_module:owner_link", args=[tokens.issue(profile, "manage")])
    assert client.post(link).status_code == 302
    return client


def message(**fields):
    values = {
        "sender_name": "Sacha",
        "sender_email": SACHA,
        "body": "Bonjour, on en parle ?",
        "status": Status.SENT,
    } | fields
    recipient = values.get("recipient")
    if recipient is not None:
        values.setdefault("recipient_uid", recipient.uid)
    return ContactMessage.objects.create(**values)


def contact_page():
    from home.management.commands.setup_demo import create_contact_page
    from home.models import ContentPage, HomePage

    create_contact_page(HomePage.objects.first())
    page = ContentPage.objects.get(slug="contacter-l-equipe")
    block_id = next(child.id for child in page.body if child.block_type == "contact")
    return page, block_id


# --- the owner's history


@pytest.fixture
def exchanges(owner_profile, other_profile):
    """Messages to and from the owner, in every state."""
    now = timezone.now()
    page, block_id = contact_page()
    gone = make_profile(public_name="Ysolde", email="ysolde@example.org")
    to_gone = message(
        recipient=gone,
        sender_name="Maëlle",
        sender_email=OWNER.lower(),
        body="Texte à la fiche supprimée",
        created_at=now - timedelta(days=3),
    )
    lifecycle.erase(gone, "owner")
    return {
        "received": message(
            recipient=owner_profile,
            body="Bonjour Maëlle, nous cherchons aussi près de Saint-Étienne.",
            created_at=now - timedelta(days=2),
        ),
        "received_pending": message(
            recipient=owner_profile,
            sender_name="Paulin",
            status=Status.PENDING,
            body="En route",
            created_at=now - timedelta(hours=1),
        ),
        "received_erased": message(
            recipient=owner_profile,
            sender_name="Ancien",
            body="",
            body_erased_at=now - timedelta(days=10),
            created_at=now - timedelta(days=40),
        ),
        "awaiting": message(
            recipient=owner_profile,
            sender_name="Pasconfirmé",
            sender_email="nobody@example.net",
            status=Status.AWAITING_VERIFICATION,
            body="Pas encore vérifié",
        ),
        "blocked": message(
            recipient=owner_profile,
            sender_name="Importun",
            sender_email="spam@example.net",
            status="blocked",
            body="",
            body_erased_at=now,
        ),
        "failed": message(
            recipient=owner_profile,
            sender_name="Perdu",
            status=Status.FAILED,
            body="Jamais arrivé",
        ),
        "sent": message(
            recipient=other_profile,
            sender_name="Maëlle",
            sender_email=OWNER.upper(),
            body="Bonjour Octavien, à Paris aussi ?",
            created_at=now - timedelta(days=1),
        ),
        "sent_to_block": message(
            page=page,
            block_id=block_id,
            sender_name="Maëlle",
            sender_email=OWNER,
            body="Une question pour l'équipe",
            created_at=now - timedelta(days=4),
        ),
        "sent_to_gone": to_gone,
        "not_mine": message(
            recipient=other_profile, sender_name="Sacha", body="Message de Sacha à Octavien"
        ),
    }


def history_url():
    return reverse("profiles_module:manage_contacts")


def test_home_links_to_the_history(client, owner_profile):
    sign_in(client, owner_profile)
    assert history_url() in client.get(reverse("profiles_module:manage")).content.decode()


def test_history_shows_both_directions_and_no_address(client, owner_profile, exchanges):
    sign_in(client, owner_profile)
    response = client.get(history_url())
    assert response.status_code == 200
    assert response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    received = html[html.index('id="received-heading"') : html.index('id="sent-heading"')]
    sent = html[html.index('id="sent-heading"') :]

    # Received: delivered or on its way, never waiting, blocked or abandoned.
    assert "Sacha" in received and "nous cherchons aussi près de Saint-Étienne" in received
    assert "Paulin" in received and "En route" in received
    assert "Ancien" in received
    for hidden in ("Pasconfirmé", "Pas encore vérifié", "Importun", "Perdu", "Jamais arrivé"):
        assert hidden not in html
    # Sent: to a household (linked while it is public), to a contact block, to an erased
    # profile; the address matched whatever its case.
    assert "Octavien" in sent and "à Paris aussi ?" in sent
    assert exchanges["sent"].recipient.get_absolute_url() in sent
    assert "Écrire à l&#x27;équipe de coordination" in sent
    assert "Une question pour l" in sent
    # A fiche's erasure takes the texts of the messages it received with it, at once.
    assert "supprimée depuis" in sent and "Texte à la fiche supprimée" not in sent
    assert "Message de Sacha à Octavien" not in html

    # Dates and statuses in plain French.
    assert "reçu par email" in received and "en cours d" in received
    assert "transmis" in sent
    # An erased text says so, with its date.
    erased_on = timezone.localtime(exchanges["received_erased"].body_erased_at)
    assert f"effacé le {erased_on.day}" in received

    # Never an address: not the owner's, the senders', the recipients' nor the block's.
    for address in (OWNER, OWNER.lower(), OTHER, SACHA, COORDINATION, "ysolde@example.org"):
        assert address.lower() not in html.lower()
    assert not EMAIL_RE.findall(html)


def test_the_history_is_only_for_its_owner(client, owner_profile, other_profile, exchanges):
    # Anonymous visitors: the "sign in again" page, as every management page.
    response = client.get(history_url())
    assert response.status_code == 403 and "Sacha" not in response.content.decode()

    # Another owner sees their own exchanges, never the first owner's.
    sign_in(client, other_profile)
    html = client.get(history_url()).content.decode()
    assert "Message de Sacha à Octavien" in html  # received by Octavien
    assert "à Paris aussi ?" in html  # written to Octavien by Maëlle: received
    assert "nous cherchons aussi près de Saint-Étienne" not in html
    assert "Une question pour l" not in html and "Texte à la fiche supprimée" not in html

    # A Wagtail admin, even a superuser, is not an owner.
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    other = client.__class__()
    other.force_login(admin)
    assert other.get(history_url()).status_code == 403


def test_a_blocked_message_looks_delivered_to_its_sender(client, owner_profile, other_profile):
    now = timezone.now()
    message(
        recipient=other_profile,
        sender_name="Maëlle",
        sender_email=OWNER,
        status="blocked",
        body="",
        body_erased_at=now,
        created_at=now - timedelta(days=1),
    )
    sign_in(client, owner_profile)
    html = client.get(history_url()).content.decode()
    sent = html[html.index('id="sent-heading"') :]
    assert "Octavien" in sent and "transmis" in sent
    assert "bloqu" not in html.lower() and "effacé" not in sent


def test_the_data_download_carries_the_history(client, owner_profile, exchanges):
    sign_in(client, owner_profile)
    data = json.loads(client.get(reverse("profiles_module:manage_data")).content)
    messages = data["messages"]
    directions = {(item["direction"], item["with"]) for item in messages}
    assert ("received", "Sacha") in directions and ("sent", "Octavien") in directions
    assert ("received", "Importun") not in directions
    assert ("received", "Pasconfirmé") not in directions
    erased = next(item for item in messages if item["with"] == "Ancien")
    assert erased["body"] == "" and erased["body_erased_at"]
    assert not EMAIL_RE.findall(json.dumps(messages))
    # Oldest first, like the events.
    dates = [item["created_at"] for item in messages]
    assert dates == sorted(dates)


# --- the territory stored on each message


def profile_with_sector(name, **sector):
    profile = make_profile(public_name=name, email=f"{name.lower()}@example.org", save=False)
    profile.sectors = [Sector(**sector)]
    profile.full_clean()
    profile.save()
    return profile


def send(profile=None, **kwargs):
    return send_contact_message(
        profile,
        sender_name="Sacha",
        sender_email=SACHA,
        body="Bonjour",
        sender_language="fr",
        **{"verified": True} | kwargs,
    )


def test_the_territory_of_the_first_sector_is_stored(owner_profile):
    by_commune = send(owner_profile)
    assert (by_commune.region_code, by_commune.departement_code) == ("84", "42")

    rhone = Departement.objects.get(code="69")
    by_departement = send(
        profile_with_sector("Dora", kind=Sector.Kind.DEPARTEMENT, departement=rhone)
    )
    assert (by_departement.region_code, by_departement.departement_code) == ("84", "69")

    bretagne = Region.objects.get(code="53")
    by_region = send(profile_with_sector("Rhea", kind=Sector.Kind.REGION, region=bretagne))
    assert (by_region.region_code, by_region.departement_code) == ("53", "")

    page, block_id = contact_page()
    value = next(child.value for child in page.body if child.block_type == "contact")
    to_block = send(
        recipient=Recipient(
            page=page, block_id=block_id, address=value["address"], name=value["heading"]
        )
    )
    assert (to_block.region_code, to_block.departement_code) == ("", "")

    # Only the first sector counts.
    two = make_profile(public_name="Deux", email="deux@example.org", save=False)
    two.sectors = [
        Sector(kind=Sector.Kind.REGION, region=bretagne, sort_order=0),
        Sector(kind=Sector.Kind.DEPARTEMENT, departement=rhone, sort_order=1),
    ]
    two.full_clean()
    two.save()
    assert territory_of(Profile.objects.get(pk=two.pk)) == ("53", "")


def test_the_data_migration_fills_messages_whose_recipient_exists(owner_profile):
    migration = importlib.import_module("profiles_module.migrations.0008_contact_territory")
    kept = message(recipient=owner_profile)
    orphan = message(recipient=None, recipient_uid=owner_profile.uid)
    migration.fill_territories(apps, None)
    kept.refresh_from_db()
    orphan.refresh_from_db()
    assert (kept.region_code, kept.departement_code) == ("84", "42")
    assert (orphan.region_code, orphan.departement_code) == ("", "")


# --- the editors' statistics


def admin_user(name, *permissions):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="profiles_module", codename=codename)
        )
    return user


def at_month(months_back, day=15):
    """Noon (local time) of a day `months_back` months before the current one."""
    month = first_of_month(timezone.localdate(), months_back)
    return datetime.combine(
        month.replace(day=day), time(12), tzinfo=timezone.get_current_timezone()
    )


def counted(**fields):
    """A counted message ("sent") with a territory and no recipient: only the stored
    codes matter to the statistics."""
    values = {"recipient": None, "recipient_uid": None, "status": Status.SENT} | fields
    return message(**values)


@pytest.fixture
def spread():
    """Messages over several months and départements, and some that never count."""
    for months_back, region, departement, number in [
        (1, "84", "42", 3),
        (1, "84", "69", 2),
        (2, "84", "42", 1),
        (2, "11", "75", 4),
        (3, "53", "", 2),  # a sector covering the whole région
        (3, "", "", 1),  # a contact block to a fixed address
        (14, "84", "42", 5),  # older than the default 12 months
    ]:
        for _ in range(number):
            counted(
                created_at=at_month(months_back),
                region_code=region,
                departement_code=departement,
            )
    for status in (Status.AWAITING_VERIFICATION, Status.FAILED, "blocked"):
        counted(created_at=at_month(1), region_code="84", departement_code="42", status=status)
    counted(created_at=at_month(1), region_code="84", departement_code="42", status=Status.PENDING)


def test_statistics_per_month_and_territory(admin_client, spread, owner_profile):
    # A message whose recipient is erased afterwards still counts where it was made.
    made = send(owner_profile)
    lifecycle.erase(owner_profile, "owner")
    made.refresh_from_db()
    assert made.recipient is None and made.region_code == "84"
    this_month = timezone.localtime(made.created_at).date().replace(day=1)

    response = admin_client.get(STATS_URL)
    assert response.status_code == 200
    context = response.context
    per_month = dict(context["per_month"])
    assert len(per_month) == 12 and min(per_month) == first_of_month(timezone.localdate(), 11)
    assert per_month[first_of_month(timezone.localdate(), 1)] == 3 + 2 + 1  # with the pending
    assert per_month[first_of_month(timezone.localdate(), 2)] == 1 + 4
    assert per_month[first_of_month(timezone.localdate(), 3)] == 2 + 1
    assert per_month[this_month] == 1
    assert context["total"] == 6 + 5 + 3 + 1 == sum(per_month.values())

    regions = {region["code"]: region for region in context["territories"]}
    aura = regions["84"]
    assert aura["name"] == "Auvergne-Rhône-Alpes" and aura["count"] == 3 + 1 + 1 + 2 + 1
    assert {d["code"]: d["count"] for d in aura["departements"]} == {"42": 3 + 1 + 1 + 1, "69": 2}
    assert regions["11"]["count"] == 4 and regions["11"]["departements"][0]["name"] == "Paris"
    assert regions["53"]["count"] == 2 and regions["53"]["whole_region"] == 2
    assert regions["53"]["departements"] == []
    assert context["without_territory"] == 1

    html = response.content.decode()
    results = html.split('id="listing-results"')[1].split("</main>")[0]
    assert results.count("<caption") == 2 and results.count("<tfoot>") == 2
    assert 'scope="col"' in results and 'scope="row"' in results
    assert 'scope="rowgroup"' in results
    assert "Auvergne-Rhône-Alpes" in results and "Loire (42)" in results
    assert "Mises en relation par mois" in results
    assert not EMAIL_RE.findall(results)
    assert "?export=csv" in html  # Wagtail's export buttons


def test_statistics_period_and_region_filters(admin_client, spread):
    start = first_of_month(timezone.localdate(), 14)
    end = first_of_month(timezone.localdate(), 2) + timedelta(days=27)
    response = admin_client.get(
        STATS_URL, {"period_from": start.isoformat(), "period_to": end.isoformat()}
    )
    context = response.context
    per_month = dict(context["per_month"])
    assert len(per_month) == 13
    assert per_month[start] == 5 and per_month[first_of_month(timezone.localdate(), 2)] == 5
    assert first_of_month(timezone.localdate(), 1) not in per_month
    assert context["total"] == 5 + 5 + 3

    response = admin_client.get(STATS_URL, {"region": "84"})
    assert response.context["total"] == 3 + 2 + 1 + 1
    assert [region["code"] for region in response.context["territories"]] == ["84"]

    # A wrong date is ignored: the default period, never an error.
    response = admin_client.get(STATS_URL, {"period_from": "31/02/x", "region": "zz"})
    assert response.status_code == 200 and response.context["total"] == 6 + 5 + 3

    # Only a start: up to today. The results fragment (filters refresh) answers too.
    results = reverse("profiles_module_contact_stats_results")
    response = admin_client.get(results, {"period_from": start.isoformat()})
    assert response.status_code == 200 and response.context["total"] == 5 + 6 + 5 + 3


def test_statistics_csv_export(admin_client, spread):
    response = admin_client.get(STATS_URL, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows[0]) == 6
    data = rows[1:]
    month = f"{first_of_month(timezone.localdate(), 1):%Y-%m}"
    assert [month, "84", "Auvergne-Rhône-Alpes", "42", "Loire", "4"] in data
    assert sum(int(row[5]) for row in data) == 6 + 5 + 3


def test_statistics_permissions(client, spread):
    # Anonymous: the admin's login page.
    response = client.get(STATS_URL)
    assert response.status_code == 302 and "login" in response["Location"]

    # An admin user without the permission: sent back to the dashboard, no menu item.
    client.force_login(admin_user("plain"))
    response = client.get(STATS_URL)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("profiles_module_contact_stats_results")).status_code == 302
    assert client.get(STATS_URL, {"export": "csv"}).status_code == 302
    assert STATS_URL not in client.get(reverse("wagtailadmin_home")).content.decode()

    # Either permission opens it, and shows the menu item.
    for codename in ("view_contact_statistics", "view_contactmessage"):
        client.force_login(admin_user(codename, codename))
        assert client.get(STATS_URL).status_code == 200
        assert STATS_URL in client.get(reverse("wagtailadmin_home")).content.decode()

    # The permission without access to the admin is not enough.
    user = get_user_model().objects.create_user("outsider", "outsider@example.org", "x")
    user.user_permissions.add(Permission.objects.get(codename="view_contact_statistics"))
    client.force_login(user)
    assert client.get(STATS_URL).status_code == 302


def test_the_permission_can_be_granted_to_groups(admin_client):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Coordination")
    html = admin_client.get(reverse("wagtailusers_groups:edit", args=[group.pk])).content.decode()
    permission = Permission.objects.get(codename="view_contact_statistics")
    assert f'value="{permission.pk}"' in html


def test_statistics_queries_do_not_grow_with_the_data(admin_client):
    def queries():
        admin_client.get(STATS_URL)  # warm the caches (site, permissions)
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(STATS_URL).status_code == 200
        return len(context.captured_queries)

    counted(created_at=at_month(1), region_code="84", departement_code="42")
    few = queries()
    codes = list(Departement.objects.values_list("region__code", "code")[:40])
    for months_back in range(12):
        for region, departement in codes:
            counted(
                created_at=at_month(months_back, day=1 + months_back % 28),
                region_code=region,
                departement_code=departement,
            )
    assert queries() == few


# --- the demo


def test_demo_reports_give_each_partner_one_in_its_territory_and_one_national():
    from profiles_module.models import AbuseReport
    from tests.factories import make_partner

    today = timezone.now().date()
    create_demo_profiles(60, seed=11, reference_date=today, index=False)
    now = datetime.combine(today, time(), tzinfo=UTC)
    # A partner over the région most demo messages go to, before the messages exist.
    create_demo_contacts(now=now)
    codes = list(ContactMessage.objects.values_list("region_code", flat=True))
    region = max(set(codes), key=codes.count)
    ContactMessage.objects.all().delete()
    make_partner(departements=(), regions=(region,))
    create_demo_contacts(now=now)

    reports = list(AbuseReport.objects.select_related("message"))
    assert len(reports) == 2
    assert {report.message.region_code == region for report in reports} == {True, False}
    assert all(report.message.body and report.created_at <= now for report in reports)


def test_demo_contacts_fill_the_statistics(admin_client):
    today = timezone.now().date()
    create_demo_profiles(60, seed=11, reference_date=today, index=False)
    now = datetime.combine(today, time(), tzinfo=UTC)
    added = create_demo_contacts(now=now)
    assert added == 48 == ContactMessage.objects.count()
    assert create_demo_contacts(now=now) == 0  # once

    messages = list(ContactMessage.objects.select_related("recipient"))
    assert all(m.sender_email.endswith("@" + EMAIL_DOMAIN) for m in messages)
    assert all(m.recipient and m.recipient.email != m.sender_email for m in messages)
    assert all(m.region_code for m in messages)
    assert all(now - timedelta(days=366) < m.created_at <= now for m in messages)
    old = [m for m in messages if m.created_at < now - timedelta(days=30)]
    assert old and all(m.body == "" and m.body_erased_at for m in old)
    recent = [m for m in messages if m.created_at >= now - timedelta(days=30)]
    assert all(m.body and m.body_erased_at is None for m in recent)
    assert len({timezone.localtime(m.created_at).strftime("%Y-%m") for m in messages}) >= 6

    response = admin_client.get(STATS_URL)
    assert response.context["total"] > 30
