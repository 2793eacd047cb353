"""The suggestions of one fiche: candidates found through the sectors' indexes, ranked by
the database on the score of `score.py`, then the reasons of the few shown.

Near first (sectors that reach each other or share a département); while that finds
fewer than the number wanted, the région, then all of France, saying so.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Value
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
# The most candidates one search scores: the newest fiches of the area. Around Paris
# "near" holds some 15,000 of 100,000 fiches, and scoring them all takes up to a second;
# 3,000 keep the page fast. The same bound makes a search of all of France affordable.
CANDIDATES_PER_SEARCH = 3000


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
    # Searched within a partner's territory: "all of France" then means all of it.
    in_territory: bool = False

    def __iter__(self):
        return iter(self.suggestions)

    def __len__(self):
        return len(self.suggestions)

    @property
    def notice(self):
        """What the owner is told when the rules were relaxed, or ""."""
        if self.widened == REGION:
            return _("Few fiches near you: we widened the search to the région.")
        if self.widened == FRANCE and self.in_territory:
            return _("Few fiches in your région: we widened the search to all of this site.")
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


def newest(querysets):
    """The ids of the CANDIDATES_PER_SEARCH newest fiches among these Sector or Profile
    querysets, read from their indexes alone (ids grow with time)."""
    ids = union_of_profile_ids(querysets)
    column = "pk" if ids.model is Profile else "profile_id"
    return ids.order_by(f"-{column}")[:CANDIDATES_PER_SEARCH]


def tiers(owner):
    """[(name, ids of the candidates)], narrowest first."""
    near = near_sectors(owner)
    regions = {s.territory_region_id for s in owner.sectors} - {None}
    wide = near + ([Sector.objects.filter(territory_region__in=regions)] if regions else [])
    found = []
    # An owner who only asked for whole régions starts at the région, with no notice.
    if near and any(s.kind != Sector.Kind.REGION for s in owner.sectors):
        found.append((NEAR, newest(near)))
    if wide:
        found.append((REGION, newest(wide)))
    found.append((FRANCE, newest([Profile.objects.public()])))
    return found


def ranked(owner, candidates, count, territory=None):
    """The best `count` of `candidates` (a subquery of ids) with a score above 0: rows of
    their id, score and the points of each criterion, computed and sorted by the database."""
    profile = owner.profile
    points = {f"points_{criterion.name}": criterion.points(owner) for criterion in CRITERIA}
    total = sum((F(name) for name in points), Value(0))
    # No "score > 0" in SQL: PostgreSQL would compute every criterion twice per candidate.
    # Fiches with nothing in common come last, and are dropped here.
    freshest = F("last_confirmed_at").desc(nulls_last=True)
    queryset = (
        Profile.objects.public()
        .filter(pk__in=candidates)
        .filter(profile_kind__in=COMPATIBLE_KINDS.get(profile.profile_kind, []))
        .exclude(pk=profile.pk)
    )
    if territory is not None:
        queryset = territory.apply(queryset)
    queryset = (
        queryset.annotate(**points)
        .annotate(score=total)
        .order_by("-score", freshest, "-pk")
        .values("pk", "score", "last_confirmed_at", *points)[:count]
    )
    with without_jit():
        return [row for row in queryset if row["score"] > 0]


@contextmanager
def without_jit():
    """PostgreSQL compiles a query it estimates costly (its subqueries per candidate) to
    machine code first, which takes longer than running it: a few hundred ms of JIT for
    a query of a hundred. Off for this transaction only; nothing to do elsewhere."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


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


def rank(row):
    """The order of the SQL ranking: score, then freshest confirmation, then newest."""
    confirmed = row["last_confirmed_at"]
    return (
        -row["score"],
        confirmed is None,
        -(confirmed.timestamp() if confirmed else 0),
        -row["pk"],
    )


def suggestions_for(profile, count=None, territory=None):
    """The most compatible published fiches for `profile`, with their reasons; only those
    of `territory` when given (a partner's, whose pages show no other fiche)."""
    count = count or app_settings.SUGGESTIONS_COUNT
    owner = Owner.of(profile)
    found, widened = {}, ""
    for position, (name, candidates) in enumerate(tiers(owner)):
        # A wider search keeps what the narrower found: a fiche's score does not depend
        # on the search that found it, and the candidates of a search are bounded.
        for row in ranked(owner, candidates, count, territory):
            found.setdefault(row["pk"], row)
        widened = name if position else ""
        if len(found) >= count:
            break
    rows = sorted(found.values(), key=rank)[:count]
    if not rows:
        return Suggestions()
    ids = [row["pk"] for row in rows]
    profiles = with_public_relations(Profile.objects.filter(pk__in=ids)).in_bulk()
    matches = geography_matches(owner, ids)
    shown = []
    for row in rows:
        candidate = profiles[row["pk"]]
        reasons = []
        for criterion in CRITERIA:
            points = row[f"points_{criterion.name}"]
            if points:
                match = matches.get(candidate.pk)
                reasons.append((points, criterion.reason(owner, candidate, points, match)))
        reasons.sort(key=lambda reason: -reason[0])
        shown.append(Suggestion(candidate, row["score"], reasons))
    return Suggestions(shown, widened, in_territory=territory is not None)
