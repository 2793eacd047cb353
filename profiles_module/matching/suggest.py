"""The suggestions of one fiche: candidates found through the sectors' indexes, ranked by
the database on the score of `score.py`, then the reasons of the few shown.

Near first (sectors that reach each other or share a département); while that finds
fewer than the number wanted, the région, then all of France, saying so.
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, Value
from django.utils.translation import gettext as _

from profiles_module.conf import app_settings
from profiles_module.models import Profile, Sector
from profiles_module.models.profiles import with_public_relations
from profiles_module.models.territory import union_of_profile_ids

from .score import (
    COMPATIBLE_KINDS,
    CRITERIA,
    Owner,
    overlap_condition,
    owner_sector_index,
    sector_level,
)

NEAR, REGION, FRANCE = "near", "region", "france"
# All of France is searched among the most recent fiches only: a whole country of
# candidates would make one owner's page read every fiche. Reached only where the
# owner's région holds fewer fiches than the suggestions wanted.
FRANCE_CANDIDATES = 2000


@dataclass
class Suggestion:
    profile: Profile
    score: int
    # [(points, sentence)], most points first: the criteria that gave the score.
    reasons: list


@dataclass
class Suggestions:
    suggestions: list = field(default_factory=list)
    # "" when the owner's own area was enough, else how far the search went.
    widened: str = ""

    def __iter__(self):
        return iter(self.suggestions)

    def __len__(self):
        return len(self.suggestions)

    @property
    def notice(self):
        """What the owner is told when the rules were relaxed, or ""."""
        if self.widened == REGION:
            return _("Few fiches near you: we widened the search to the région.")
        if self.widened == FRANCE:
            return _("Few fiches in your région: we widened the search to all of France.")
        return ""


def near_sectors(owner):
    """Querysets of the Sector rows that reach the owner's sectors or share a département
    with them, each answered by an index (see Sector.Meta.indexes)."""
    found = [
        Sector.objects.filter(overlap_condition(sector))
        for sector in owner.sectors
        if sector.kind == Sector.Kind.COMMUNE
    ]
    departements = {s.territory_departement_id for s in owner.sectors} - {None}
    if departements:
        found.append(Sector.objects.filter(territory_departement__in=departements))
    return found


def tiers(owner):
    """[(name, condition on the candidates)], narrowest first."""
    near = near_sectors(owner)
    regions = {s.territory_region_id for s in owner.sectors} - {None}
    wide = near + ([Sector.objects.filter(territory_region__in=regions)] if regions else [])
    found = []
    # An owner who only asked for whole régions starts at the région, with no notice.
    if near and any(s.kind != Sector.Kind.REGION for s in owner.sectors):
        found.append((NEAR, Q(pk__in=union_of_profile_ids(near))))
    if wide:
        found.append((REGION, Q(pk__in=union_of_profile_ids(wide))))
    recent = Profile.objects.public().order_by("-created_at").values("pk")[:FRANCE_CANDIDATES]
    everywhere = Q(pk__in=recent)
    if wide:
        everywhere |= Q(pk__in=union_of_profile_ids(wide))
    found.append((FRANCE, everywhere))
    return found


def ranked(owner, condition, count):
    """The best `count` candidates meeting `condition`: rows of their id, score and the
    points of each criterion, computed by the database."""
    profile = owner.profile
    points = {f"points_{criterion.name}": criterion.points(owner) for criterion in CRITERIA}
    total = sum((F(name) for name in points), Value(0))
    return list(
        Profile.objects.public()
        .filter(condition)
        .filter(profile_kind__in=COMPATIBLE_KINDS.get(profile.profile_kind, []))
        .exclude(pk=profile.pk)
        .annotate(**points)
        .annotate(score=total)
        .filter(score__gt=0)
        .order_by("-score", F("last_confirmed_at").desc(nulls_last=True), "-pk")
        .values("pk", "score", *points)[:count]
    )


def geography_matches(owner, ids):
    """{profile id: (its sector, the owner's sector index)} of the sector that gave each
    candidate its geography points: the same SQL condition, read for these few."""
    rows = (
        Sector.objects.filter(profile_id__in=ids)
        .select_related("commune", "departement", "region")
        .annotate(level=sector_level(owner), owner_index=owner_sector_index(owner))
        .order_by("profile_id", "-level", "sort_order", "pk")
    )
    best = {}
    for sector in rows:
        best.setdefault(sector.profile_id, (sector, sector.owner_index))
    return best


def suggestions_for(profile, count=None):
    """The most compatible published fiches for `profile`, with their reasons."""
    count = count or app_settings.SUGGESTIONS_COUNT
    owner = Owner.of(profile)
    all_tiers = tiers(owner)
    rows, widened = [], ""
    for position, (name, condition) in enumerate(all_tiers):
        rows = ranked(owner, condition, count)
        widened = name if position else ""
        if len(rows) >= count:
            break
    if not rows:
        return Suggestions()
    ids = [row["pk"] for row in rows]
    profiles = with_public_relations(Profile.objects.filter(pk__in=ids)).in_bulk()
    matches = geography_matches(owner, ids)
    found = []
    for row in rows:
        candidate = profiles[row["pk"]]
        reasons = []
        for criterion in CRITERIA:
            points = row[f"points_{criterion.name}"]
            if points:
                match = matches.get(candidate.pk)
                reasons.append((points, criterion.reason(owner, candidate, points, match)))
        reasons.sort(key=lambda reason: -reason[0])
        found.append(Suggestion(candidate, row["score"], reasons))
    return Suggestions(found, widened)
