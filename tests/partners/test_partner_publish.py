"""The publication and edit forms on a partner's pages (embedded or its own site): the
wished sectors stay in the partner's territory; elsewhere nothing changes."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from profiles_module.models import Commune, Departement, Profile, Region, Sector
from tests.factories import (
    edit_form_data,
    make_partner,
    make_profile,
    manage_link,
    publish_form_data,
)

pytestmark = pytest.mark.django_db

PARTNER_HOST = "loire.futurs-voisins.example"


@pytest.fixture
def partner_site(home):
    """The partner's own site: another hostname on the same pages."""
    site = Site.objects.create(hostname=PARTNER_HOST, port=80, root_page=home, site_name="Loire")
    make_partner(site=site)
    return site


def embedded(path, slug="loire"):
    return f"/integration/{slug}{path}"


def commune_pk(insee_code):
    return str(Commune.objects.get(insee_code=insee_code).pk)


def options(html, name):
    """(value, selected, label) of the options of a select, without its empty choice."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="(\d+)"( selected)?>([^<]*)</option>', select
        )
    ]


def kinds(html, index=0):
    return re.findall(rf'name="sectors-{index}-kind" value="(\w+)"', html)


def sector_errors(response, index=0):
    """{field: [codes]} of a sector form of the page's form."""
    form = response.context["form"].formsets["sectors"].forms[index]
    return {name: [e.code for e in errors] for name, errors in form.errors.as_data().items()}


# --- the choices offered


def test_the_embedded_form_offers_only_the_partner_territory(client, partner, publish_page):
    html = client.get(embedded(publish_page.url)).content.decode()
    loire = Departement.objects.get(code="42")
    # Its only département, pre-selected; no région kind (it covers none whole).
    assert options(html, "sectors-0-departement") == [(str(loire.pk), True, "Loire (42)")]
    assert kinds(html) == ["commune", "departement"]
    # The suggestions come from the frame's own (territory-limited) endpoint.
    assert 'data-url="/integration/loire/futurs-voisins/communes/"' in html
    # Said next to the sectors, with a link out of the frame to the national site.
    assert "Habitat participatif Loire" in html and "Loire (42)" in html
    assert '<a href="http://testserver/" target="_blank" rel="noopener">' in html


def test_a_region_partner_offers_its_region_and_its_departements(client, publish_page):
    make_partner(slug="aura", name="Habitat participatif AURA", departements=(), regions=("84",))
    html = client.get(embedded(publish_page.url, "aura")).content.decode()
    aura = Region.objects.get(code="84")
    assert options(html, "sectors-0-region") == [(str(aura.pk), True, aura.name)]
    departements = {label for _value, _selected, label in options(html, "sectors-0-departement")}
    assert {"Loire (42)", "Rhône (69)", "Isère (38)"} <= departements
    assert "Paris (75)" not in departements
    assert len(departements) == Departement.objects.filter(region=aura).count()
    assert kinds(html) == ["commune", "departement", "region"]


def test_commune_suggestions_are_limited_to_the_territory(client, partner):
    url = reverse("profiles_module:commune_autocomplete")

    def found(path, query):
        return [item["insee_code"] for item in client.get(path, {"q": query}).json()["results"]]

    assert found(embedded(url), "paris") == []
    assert "42218" in found(embedded(url), "saint etienne")
    saints = found(embedded(url), "saint")
    assert saints and all(code.startswith("42") for code in saints)
    # On the national site the same endpoint covers all of France.
    assert "75056" in found(url, "paris")


# --- validation


def test_a_commune_outside_the_territory_is_refused_and_nothing_is_lost(
    client, partner, publish_page
):
    response = client.post(
        embedded(publish_page.url), publish_form_data(**{"sectors-0-commune": commune_pk("69123")})
    )
    assert response.status_code == 200
    assert sector_errors(response) == {"commune": ["outside_territory"]}
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert (
        "Habitat participatif Loire couvre Loire (42). Pour un secteur ailleurs, publiez "
        "votre fiche sur le site national."
    ) in html
    # Nothing stored, no email; what was typed is still there to correct.
    assert not Profile.objects.exists() and not mail.outbox
    assert 'value="Dominique"' in html and "Nous cherchons un habitat partagé." in html
    assert 'value="Lyon (69001)"' in html


def test_a_commune_typed_without_javascript_is_checked_too(client, partner, publish_page):
    data = publish_form_data(**{"sectors-0-commune": None, "sectors-0-commune_label": "Paris"})
    response = client.post(embedded(publish_page.url), data)
    assert sector_errors(response) == {"commune": ["outside_territory"]}
    assert not Profile.objects.exists()


def test_a_commune_typed_without_javascript_is_looked_for_in_the_territory_first(
    client, partner, publish_page
):
    # Nationally "Saint-Priest" is the Rhône's; in the Loire's frame, Saint-Priest-en-Jarez.
    data = publish_form_data(
        **{"sectors-0-commune": None, "sectors-0-commune_label": "Saint-Priest"}
    )
    assert client.post(embedded(publish_page.url), data).status_code == 302
    sector = Profile.objects.get().sectors.get()
    assert sector.commune.insee_code == "42275"


def test_a_departement_or_region_outside_the_territory_is_refused(client, partner, publish_page):
    rhone = Departement.objects.get(code="69")
    data = publish_form_data(
        **{"sectors-0-kind": "departement", "sectors-0-departement": str(rhone.pk)}
    )
    response = client.post(embedded(publish_page.url), data)
    assert response.status_code == 200 and "departement" in sector_errors(response)
    aura = Region.objects.get(code="84")  # contains the Loire, but is more than it
    data = publish_form_data(**{"sectors-0-kind": "region", "sectors-0-region": str(aura.pk)})
    response = client.post(embedded(publish_page.url), data)
    assert response.status_code == 200 and sector_errors(response)
    assert not Profile.objects.exists()


def test_every_sector_is_checked(client, partner, publish_page):
    data = publish_form_data(**{"sectors-1-commune": commune_pk("69123")})
    response = client.post(embedded(publish_page.url), data)
    assert sector_errors(response, 1) == {"commune": ["outside_territory"]}
    assert not Profile.objects.exists()


def test_a_fiche_inside_the_territory_is_published_and_attributed(client, partner, publish_page):
    loire = Departement.objects.get(code="42")
    data = publish_form_data(
        **{
            "sectors-1-kind": "departement",
            "sectors-1-departement": str(loire.pk),
            "sectors-1-commune": None,
        }
    )
    response = client.post(embedded(publish_page.url), data)
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.partner == partner
    assert sorted(s.kind for s in profile.sectors.all()) == ["commune", "departement"]
    assert len(mail.outbox) == 1


def test_only_the_required_sector_is_preselected(client, partner, publish_page):
    """An optional sector with a pre-selected place would not be empty any more."""
    html = client.get(embedded(publish_page.url)).content.decode()
    assert [selected for _v, selected, _l in options(html, "sectors-0-departement")] == [True]
    assert [selected for _v, selected, _l in options(html, "sectors-1-departement")] == [False]


# --- the national site and a partner's own site


def test_the_national_site_is_unchanged(client, partner, publish_page):
    html = client.get(publish_page.url).content.decode()
    departements = options(html, "sectors-0-departement")
    assert len(departements) == Departement.objects.count()
    assert not any(selected for _value, selected, _label in departements)
    assert kinds(html) == ["commune", "departement", "region"]
    assert 'data-url="/futurs-voisins/communes/"' in html
    assert "Habitat participatif Loire" not in html
    response = client.post(
        publish_page.url, publish_form_data(**{"sectors-0-commune": commune_pk("69123")})
    )
    assert response.status_code == 302
    assert Profile.objects.get().partner is None


def test_a_partner_site_limits_its_form_like_the_frame(client, partner_site, publish_page):
    html = client.get(publish_page.url, HTTP_HOST=PARTNER_HOST).content.decode()
    assert [label for _v, _s, label in options(html, "sectors-0-departement")] == ["Loire (42)"]
    assert 'data-url="/futurs-voisins/communes/"' in html
    assert 'class="site-header"' in html  # its normal layout
    # The national site is the default one.
    assert '<a href="http://localhost/" target="_blank" rel="noopener">' in html
    suggestions = client.get(
        reverse("profiles_module:commune_autocomplete"), {"q": "paris"}, HTTP_HOST=PARTNER_HOST
    ).json()["results"]
    assert suggestions == []

    lyon = publish_form_data(**{"sectors-0-commune": commune_pk("69123")})
    response = client.post(publish_page.url, lyon, HTTP_HOST=PARTNER_HOST)
    assert sector_errors(response) == {"commune": ["outside_territory"]}
    assert not Profile.objects.exists()
    response = client.post(publish_page.url, publish_form_data(), HTTP_HOST=PARTNER_HOST)
    assert response.status_code == 302
    assert Profile.objects.get().partner == partner_site.partner


# --- the owner's edit form in the frame


@pytest.fixture
def owner(client, partner):
    """A client signed in as the owner of a published fiche around Saint-Étienne."""
    profile = make_profile(email="owner@example.org", public_name="Maëlle")
    profile.save_revision().publish()
    assert client.post(manage_link(profile)).status_code == 302
    client.profile = profile
    return client


def test_the_owners_edit_form_in_the_frame_is_limited_too(owner):
    profile = owner.profile
    url = embedded(reverse("profiles_module:manage_edit"))
    html = owner.get(url).content.decode()
    assert [label for _v, _s, label in options(html, "sectors-1-departement")] == ["Loire (42)"]
    data = edit_form_data(profile, **{"sectors-1-commune": commune_pk("69123")})
    response = owner.post(url, data)
    assert response.status_code == 200
    assert sector_errors(response, 1) == {"commune": ["outside_territory"]}
    assert profile.sectors.count() == 1
    # Inside the territory: saved.
    data = edit_form_data(profile, **{"sectors-1-commune": commune_pk("42095")})  # Firminy
    assert owner.post(url, data).status_code == 302
    assert Profile.objects.get(pk=profile.pk).sectors.count() == 2


def test_a_stored_sector_elsewhere_may_stay_when_editing_in_the_frame(owner):
    """Published on the national site around Lyon too: the owner may still change the rest
    in the frame, and sees that sector as it is."""
    first = owner.profile.sectors.get()
    lyon = Sector(
        profile=owner.profile, kind="commune", commune=Commune.objects.get(insee_code="69123")
    )
    lyon.sort_order = (first.sort_order or 0) + 1  # After it, whatever the database's order.
    lyon.save()
    profile = Profile.objects.get(pk=owner.profile.pk)
    profile.save_revision().publish()
    url = embedded(reverse("profiles_module:manage_edit"))
    assert 'value="Lyon (69001)"' in owner.get(url).content.decode()
    data = edit_form_data(
        profile,
        public_name="Maëlle et Jo",
        **{
            "sectors-INITIAL_FORMS": "2",
            "sectors-0-id": str(first.pk),
            "sectors-0-commune": str(first.commune_id),
            "sectors-1-id": str(lyon.pk),
            "sectors-1-commune": str(lyon.commune_id),
        },
    )
    assert owner.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.public_name == "Maëlle et Jo"
    assert {s.commune.insee_code for s in profile.sectors.all()} == {"42218", "69123"}
