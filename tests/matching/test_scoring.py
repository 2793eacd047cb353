"""The score of a suggestion and the reasons shown with it, criterion by criterion."""

import pytest

from profiles_module.matching.suggest import suggestions_for

pytestmark = pytest.mark.django_db

# The owner: a household around Saint-Étienne (42218) within 10 km, with nothing else
# stated; each case gives one other fiche, and the points and reasons it must get.
CASES = [
    (
        "same commune",
        {},
        {"sectors": [("commune", "42218", 20)]},
        40,
        ["même secteur : Saint-Étienne + 20 km"],
    ),
    (
        "circles that reach each other (Firminy, about 11 km away)",
        {},
        {"sectors": [("commune", "42095", 5)]},
        30,
        ["secteurs voisins : Saint-Étienne + 10 km et Firminy + 5 km"],
    ),
    (
        "same département, far apart (Roanne)",
        {},
        {"sectors": [("commune", "42187", 5)]},
        20,
        ["même département : Loire (42)"],
    ),
    (
        "the whole département",
        {},
        {"sectors": [("departement", "42")]},
        20,
        ["même département : Loire (42)"],
    ),
    (
        "same région only (Grenoble)",
        {},
        {"sectors": [("commune", "38185", 10)]},
        10,
        ["même région : Auvergne-Rhône-Alpes"],
    ),
    (
        "best of several sectors",
        {},
        {"sectors": [("commune", "38185", 10), ("commune", "42218", 5)]},
        40,
        ["même secteur : Saint-Étienne + 5 km"],
    ),
    (
        "same tenure",
        {"tenure": "cooperative"},
        {"tenure": "cooperative"},
        40 + 12,
        ["même secteur : Saint-Étienne + 10 km", "tous deux : coopérative d'habitants"],
    ),
    ("no preference is no match", {"tenure": "any"}, {"tenure": "any"}, 40, None),
    ("different tenures", {"tenure": "rental"}, {"tenure": "ownership"}, 40, None),
    (
        "one starts a group, the other joins",
        {"role": "create"},
        {"role": "join"},
        40 + 15,
        [
            "même secteur : Saint-Étienne + 10 km",
            "rôles complémentaires : créer un groupe / rejoindre un groupe",
        ],
    ),
    (
        "a group being formed and a household who wants to join one",
        {"role": "join"},
        {"profile_kind": "group", "role": "create"},
        40 + 15,
        [
            "même secteur : Saint-Étienne + 10 km",
            "rôles complémentaires : rejoindre un groupe / un groupe qui cherche des membres",
        ],
    ),
    (
        "two who want to join: nothing to offer each other",
        {"role": "join"},
        {"role": "join"},
        40,
        None,
    ),
    (
        "same horizon",
        {"horizon": "1_3"},
        {"horizon": "1_3"},
        40 + 8,
        ["même secteur : Saint-Étienne + 10 km", "même horizon : 1 à 3 ans"],
    ),
    (
        "close horizons",
        {"horizon": "lt1"},
        {"horizon": "1_3"},
        40 + 3,
        [
            "même secteur : Saint-Étienne + 10 km",
            "horizons proches : moins d'un an et 1 à 3 ans",
        ],
    ),
    ("far horizons", {"horizon": "lt1"}, {"horizon": "gt3"}, 40, None),
    (
        "shared values, 4 points each",
        {"values": ["ecology", "solidarity", "sharing"]},
        {"values": ["ecology", "solidarity", "accessibility"]},
        40 + 8,
        ["même secteur : Saint-Étienne + 10 km", "valeurs communes : écologie, solidarité"],
    ),
    (
        "shared kinds of project, capped at two",
        {"kinds": ["new_build", "ecohamlet", "senior"]},
        {"kinds": ["new_build", "ecohamlet", "senior"]},
        40 + 20,
        [
            "même secteur : Saint-Étienne + 10 km",
            "tous deux : construction neuve, écohameau / écolieu, habitat senior",
        ],
    ),
    (
        "no preference of project is no match",
        {"kinds": ["any"]},
        {"kinds": ["any"]},
        40,
        None,
    ),
    (
        "same setting",
        {"setting": "rural"},
        {"setting": "rural"},
        40 + 6,
        ["même secteur : Saint-Étienne + 10 km", "tous deux : cadre rural"],
    ),
    (
        "same household composition",
        {"composition": "family"},
        {"composition": "family"},
        40 + 4,
        ["même secteur : Saint-Étienne + 10 km", "tous deux : famille avec enfant(s)"],
    ),
]


@pytest.mark.parametrize(
    ("mine", "theirs", "score", "reasons"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_score_and_reasons(fiche, mine, theirs, score, reasons):
    owner = fiche("Owner", **mine)
    other = fiche("Other", **theirs)
    [suggestion] = suggestions_for(owner)
    assert suggestion.profile == other
    assert suggestion.score == score
    # The reasons add up to the score: they are the points it is made of.
    assert sum(points for points, _text in suggestion.reasons) == score
    texts = [text for _points, text in suggestion.reasons]
    assert texts == (reasons or ["même secteur : Saint-Étienne + 10 km"])


def test_the_most_compatible_come_first(fiche):
    owner = fiche("Owner", tenure="cooperative", role="create", horizon="1_3")
    fiche("Far", sectors=[("commune", "42187", 5)], tenure="cooperative")
    fiche("Neighbour", tenure="cooperative", role="join", horizon="1_3")
    fiche("Same town", tenure="rental")
    ranked = [(s.profile.public_name, s.score) for s in suggestions_for(owner)]
    assert ranked == [("Neighbour", 40 + 12 + 15 + 8), ("Same town", 40), ("Far", 20 + 12)]


def test_reasons_in_english_for_an_english_page(fiche, settings):
    from django.utils import translation

    owner = fiche("Owner", tenure="cooperative")
    fiche("Other", tenure="cooperative")
    with translation.override("en"):
        [suggestion] = suggestions_for(owner)
        texts = [text for _points, text in suggestion.reasons]
    assert texts == ["same sector: Saint-Étienne + 10 km", "both: housing cooperative"]
