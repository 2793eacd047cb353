"""The partner's admin pages an association's editor reads: the embed code's copy
button, the territory's choices in order, and the dashboard of the territory's fiches."""

import re
from html import unescape

import pytest
from django.urls import reverse

from profiles_module.models import Departement, Region
from tests.factories import make_member, make_partner, make_profile

pytestmark = pytest.mark.django_db


def french(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return response.content.decode()


def edit_url(partner):
    return reverse("wagtailsnippets_profiles_module_partner:edit", args=[partner.pk])


def test_the_embed_code_has_a_copy_button_and_its_script(client, superuser, partner, map_page):
    client.force_login(superuser)
    html = french(client, edit_url(partner))
    textarea = re.search(r'<textarea id="(embed-code-\d+)"', html).group(1)
    assert f'data-fv-copy="{textarea}"' in html and "Copier le code" in html
    assert re.search(rf'aria-live="polite" data-fv-copy-status="{textarea}"', html)
    assert 'data-fv-copied="Copié"' in html
    assert "profiles_module/js/admin-copy.js" in html


def checkbox_labels(html, name):
    """The labels of the checkboxes `name`, in page order, and their group headings."""
    start = html.index(f'name="{name}"')
    start = html.rindex("<div", 0, start)
    end = html.index("</fieldset>", start) if "</fieldset>" in html[start:] else len(html)
    part = html[start:end]
    labels = re.findall(rf'<label[^>]*><input[^>]*name="{name}"[^>]*>\s*([^<]+?)\s*</label>', part)
    return [unescape(label) for label in labels]


def test_territory_choices_are_in_order(client, superuser, partner):
    client.force_login(superuser)
    html = french(client, edit_url(partner))
    regions = checkbox_labels(html, "regions")
    assert regions == sorted(Region.objects.values_list("name", flat=True))
    departements = checkbox_labels(html, "departements")
    expected = [
        str(departement) for departement in Departement.objects.order_by("region__name", "code")
    ]
    assert departements == expected
    # Grouped under their région's name.
    last_region = html.rindex('name="regions"')
    first_departement = html.index('name="departements"')
    assert "Auvergne-Rhône-Alpes" in html[last_region:first_departement]


def dashboard(client, user):
    client.force_login(user)
    html = french(client, reverse("wagtailadmin_home"))
    start = html.index('id="territory-fiches')
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


@pytest.fixture
def fiches():
    """In the Loire (42): 2 published, 1 draft, 1 awaiting its owner's confirmation; in
    the Rhône (69): 1 published."""
    make_profile(public_name="Ondine", commune="42218", email="ondine@example.org")
    make_profile(public_name="Basile", commune="42218")
    make_profile(public_name="Brouillon", commune="42218", live=False)
    make_profile(public_name="Attente", commune="42218", live=False, awaiting_confirmation=True)
    make_profile(public_name="Lyonnais", commune="69123")


def test_a_partner_editor_dashboard_counts_its_territory_only(client, partner_editor, fiches):
    panel = dashboard(client, partner_editor)
    assert "2 fiches publiées" in panel
    assert "1 fiche en attente de confirmation par son auteur" in panel
    assert "2 fiches non publiées (brouillons)" in panel
    assert "0 fiche en attente de modération" in panel
    assert "Habitat participatif Loire" in panel
    drafts = re.search(r'href="([^"]*\?live=false)"', panel).group(1)
    listing = french(client, drafts)
    assert "Brouillon" in listing and "Attente" in listing and "Ondine" not in listing
    # Counts only: no fiche's name nor address.
    assert "Ondine" not in panel and "ondine@example.org" not in panel


def test_a_national_editor_dashboard_counts_every_fiche(client, superuser, fiches):
    panel = dashboard(client, superuser)
    assert "3 fiches publiées" in panel
    assert "2 fiches non publiées (brouillons)" in panel
    assert "Tous les territoires" in panel


def test_an_editor_of_two_partners_sees_both_territories(client, fiches):
    loire = make_partner()
    rhone = make_partner(slug="rhone", departements=("69",), name="Habitat Rhône")
    editor = make_member(loire.group, "deux")
    editor.groups.add(rhone.group)
    assert "3 fiches publiées" in dashboard(client, editor)
