"""Which fiches can be suggested, how far the search widens, and who sees suggestions."""

import pytest
from django.urls import reverse

from profiles_module.matching.suggest import suggestions_for
from profiles_module.publication import lifecycle
from tests.factories import make_map_page, manage_link

pytestmark = pytest.mark.django_db


def names(found):
    return sorted(suggestion.profile.public_name for suggestion in found)


def test_only_published_visible_fiches_of_others(fiche):
    owner = fiche("Owner")
    fiche("Published")
    fiche("Draft", live=False)
    paused = fiche("Paused")
    lifecycle.pause(paused)
    hidden = fiche("Hidden for staleness")
    hidden.hidden_reason = "stale"
    hidden.live = False
    hidden.save()
    fiche("Awaiting confirmation", live=False, awaiting_confirmation=True)
    erased = fiche("Erased")
    lifecycle.erase(erased, "owner")
    # A household is not suggested resource persons (they are found on the map).
    fiche("Resource person", profile_kind="resource")
    assert names(suggestions_for(owner)) == ["Published"]


def test_kinds_meet_the_kinds_they_complement(fiche):
    group = fiche("A group", profile_kind="group")
    fiche("A household")
    fiche("A resident", profile_kind="resident")
    fiche("A resource person", profile_kind="resource")
    assert names(suggestions_for(group)) == ["A household"]


def test_no_notice_when_the_area_has_enough(fiche):
    owner = fiche("Owner")
    for number in range(3):
        fiche(f"Neighbour {number}")
    fiche("Grenoble", sectors=[("commune", "38185", 10)])
    found = suggestions_for(owner, count=3)
    assert names(found) == ["Neighbour 0", "Neighbour 1", "Neighbour 2"]
    assert found.notice == ""


def test_few_fiches_nearby_widens_to_the_region_and_says_so(fiche):
    owner = fiche("Owner")
    fiche("Neighbour")
    fiche("Grenoble", sectors=[("commune", "38185", 10)])
    fiche("Rennes", sectors=[("commune", "35238", 10)])
    found = suggestions_for(owner, count=2)
    assert names(found) == ["Grenoble", "Neighbour"]
    assert found.notice == "Peu de fiches près de chez vous : nous avons élargi à la région."


def test_few_fiches_in_the_region_widens_to_france_and_says_so(fiche):
    owner = fiche("Owner", tenure="cooperative")
    fiche("Rennes", sectors=[("commune", "35238", 10)], tenure="cooperative")
    # Nothing in common at all: never suggested, even France-wide.
    fiche("Brest", sectors=[("commune", "29019", 10)])
    found = suggestions_for(owner)
    assert names(found) == ["Rennes"]
    assert found.notice == "Peu de fiches dans votre région : nous avons élargi à toute la France."
    assert [text for _points, text in found.suggestions[0].reasons] == [
        "tous deux : coopérative d'habitants"
    ]


def test_within_a_partners_territory_the_widest_search_is_the_territory(fiche):
    from tests.factories import make_partner

    territory = make_partner(departements=("42", "35")).get_territory()
    owner = fiche("Owner", tenure="cooperative")
    fiche("Rennes", sectors=[("commune", "35238", 10)], tenure="cooperative")
    found = suggestions_for(owner, territory=territory)
    assert names(found) == ["Rennes"]
    assert found.notice == (
        "Peu de fiches dans votre région : nous avons élargi à tout le territoire de ce site."
    )


def test_an_owner_who_asked_for_a_region_is_not_told_it_was_widened(fiche):
    owner = fiche("Owner", sectors=[("region", "84")])
    fiche("Lyon", sectors=[("commune", "69123", 10)])
    found = suggestions_for(owner, count=1)
    assert names(found) == ["Lyon"]
    assert found.notice == ""


def test_the_owner_sees_them_on_the_management_page(client, fiche):
    owner = fiche("Owner", tenure="cooperative")
    fiche("Neighbour", tenure="cooperative")
    client.post(manage_link(owner))
    html = client.get(reverse("profiles_module:manage")).content.decode()
    assert "Vos voisins idéals" in html
    assert "Neighbour" in html
    assert "même secteur : Saint-Étienne + 10 km" in html
    assert "tous deux : coopérative d&#x27;habitants" in html


def test_a_paused_owner_gets_no_suggestions(client, fiche):
    owner = fiche("Owner")
    fiche("Neighbour")
    lifecycle.pause(owner)
    client.post(manage_link(owner))
    html = client.get(reverse("profiles_module:manage")).content.decode()
    assert "Vos voisins idéals" not in html and "Neighbour" not in html


def test_never_shown_to_anyone_else(client, fiche):
    owner = fiche("Owner", tenure="cooperative")
    other = fiche("Neighbour", tenure="cooperative")
    page = make_map_page()
    assert suggestions_for(owner)  # there is something that could leak
    urls = [
        owner.get_absolute_url(),
        other.get_absolute_url(),
        page.url,
        reverse("profiles_module:api_profiles"),
        reverse("profiles_module:api_profiles_geojson"),
        reverse("profiles_module:api_map") + "?zoom=12&bbox=4.2,45.3,4.5,45.5",
        reverse("profiles_module:api_profile_card", args=[owner.uid]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in ("voisins idéals", "même secteur", "coopérative d&#x27;habitants +", "+40"):
            assert text not in body, (url, text)
    # Nor on the management page without the owner's link.
    assert client.get(reverse("profiles_module:manage")).status_code == 403
