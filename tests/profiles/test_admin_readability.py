"""What an association's editor reads in the fiches' admin: statuses, labels, dates, texts."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow, WorkflowContentType

from profiles_module.models import Profile
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_profiles_module_profile"


def french(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def root(client, superuser):
    client.force_login(superuser)
    return client


def test_listing_says_which_fiches_are_published_and_which_are_not(root):
    make_profile(public_name="Publiée")
    make_profile(public_name="Brouillonne", live=False)
    make_profile(public_name="Attente", live=False, awaiting_confirmation=True)
    make_profile(public_name="Pausée", live=False, paused=True)
    make_profile(public_name="Ancienne", live=False, hidden_reason="stale")
    html = french(root, reverse(f"{URLS}:list"))
    for status in [
        "Publiée",
        "Brouillon",
        "En attente de confirmation",
        "En pause",
        "Masquée (non confirmée depuis trop longtemps)",
    ]:
        assert f">{status}<" in html.replace("\n", "").replace("  ", ""), status


def test_listing_dates_carry_the_year(root):
    profile = make_profile(public_name="Datée")
    Profile.objects.filter(pk=profile.pk).update(
        updated_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
    )
    html = french(root, reverse(f"{URLS}:list"))
    assert "1 jan. 2026" in html


def test_add_button_reads_well_in_french(root):
    html = french(root, reverse(f"{URLS}:list"))
    assert "Ajouter une fiche" in html
    assert "un(e)" not in html


def test_inspect_view_shows_labels_not_stored_values(root):
    profile = make_profile(
        public_name="Lisible",
        adults=2,
        age_bands=["60_74", "75p"],
        place_identified=True,
        last_confirmed_at=timezone.now(),
    )
    html = french(root, reverse(f"{URLS}:inspect", args=[profile.pk]))
    assert "60–74 ans, 75 ans et plus" in html
    assert "60_74" not in html
    assert "SRID=4326" not in html and "POINT(" not in html
    assert f"{profile.latitude:.5f}, {profile.longitude:.5f}" in html
    assert ">True<" not in html.replace(" ", "").replace("\n", "")
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
    assert "Oui" in html


def test_a_fiche_in_moderation_says_so_in_the_listing_and_the_dashboard(root, superuser):
    WorkflowContentType.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Profile),
        defaults={"workflow": Workflow.objects.get(name="Moderators approval")},
    )
    profile = make_profile(public_name="Modérée", live=False)
    profile.save_revision(user=superuser)
    profile.get_workflow().start(profile, superuser)
    html = french(root, reverse(f"{URLS}:list"))
    assert ">En attente de modération<" in html.replace("\n", "").replace("  ", "")
    home = french(root, reverse("wagtailadmin_home"))
    assert "1 fiche en attente de modération" in re.sub(r"\s+", " ", home)


def test_the_map_of_the_edit_form_credits_openstreetmap_in_french(root):
    profile = make_profile(public_name="Stéphane")
    html = french(root, reverse("wagtailsnippets_profiles_module_profile:edit", args=[profile.pk]))
    attribute = re.search(r'data-leaflet-field-options-value="([^"]+)"', html).group(1)
    credit = json.loads(unescape(attribute))["tileLayerOptions"]["attribution"]
    assert credit == (
        "&copy; les contributeurs d'"
        '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    )
