"""The figures panel of the admin's home page: all of France for a national editor, the
partner's territory only for a partner's editor, with the activity of each month."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from profiles_module.models import ContactMessage, Departement, Profile, ProfileEvent
from tests.factories import make_fiche, make_member, make_partner

pytestmark = pytest.mark.django_db


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="territory-statistics')
    return html[start : html.index("</section>", start)]


def activity(html):
    """{month: [contacts, created, confirmed, hidden]} of the panel's monthly table."""
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>'
        r"\s*<td>(\d+)</td>",
        html,
    )
    return {month: [int(n) for n in numbers] for month, *numbers in rows}


def test_the_dashboard_panel_counts_the_editors_territory(client, superuser):
    partner = make_partner()  # the Loire
    editor = make_member(partner.group, "loire")
    loire = [make_fiche(n, [("commune", "42218")]) for n in range(3)]
    paris = [make_fiche(n, [("commune", "75056")]) for n in range(3, 8)]
    this_month = datetime.now(UTC)
    for profile in [*loire, *paris]:
        ProfileEvent.record(profile, ProfileEvent.Kind.SUBMITTED, now=this_month)
        ProfileEvent.record(profile, ProfileEvent.Kind.CONFIRMED, now=this_month)
    ProfileEvent.record(paris[0], ProfileEvent.Kind.HIDDEN, now=this_month)
    for recipient, departement in [(loire[0], "42"), (paris[0], "75"), (paris[1], "75")]:
        ContactMessage.objects.create(
            recipient=recipient,
            sender_name="Quelqu'un",
            sender_email="quelquun@example.net",
            body="Bonjour",
            status=ContactMessage.Status.SENT,
            departement_code=departement,
            region_code=Departement.objects.get(code=departement).region.code,
        )

    national = dashboard(client, superuser)
    assert "Toute la France." in national and "8 fiches publiées." in national
    assert activity(national)["Total"] == [3, 8, 8, 1]
    assert "Paris (75)" in national

    regional = dashboard(client, editor)
    assert "Habitat participatif Loire" in regional and "3 fiches publiées." in regional
    assert activity(regional)["Total"] == [1, 3, 3, 0]
    assert "Loire (42)" in regional and "Paris (75)" not in regional
    assert len(activity(regional)) == 13  # twelve months and the total
    for profile in Profile.objects.all():
        assert profile.email not in regional


def test_editors_who_cannot_see_the_fiches_do_not_get_the_panel(client):
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(make_member(group, "redaction"))
    make_fiche(0, [("commune", "42218")])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="territory-statistics' not in html and "fiches publiées" not in html
