"""How compatible another fiche is with an owner's: the points of each criterion, as SQL
the database ranks with, and the sentence saying why, written from those same points.

Every weight of the score is in the block below. A criterion only counts what both
fiches stated: "no preference" and empty answers neither add nor remove points.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models import When as SQLWhen
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profiles_module.common.geo import bounding_box, distance_km
from profiles_module.models import Profile, ProfileOption, Sector
from profiles_module.models.profiles import (
    MAX_SECTOR_RADIUS_KM,
    Composition,
    Horizon,
    ProfileKind,
    Role,
    Setting,
    Tenure,
)

# --- The weights -------------------------------------------------------------------------
#
# Where comes first: a group can only form among households who could live in the same
# place, so the sector alone outweighs any other two criteria, and the closer the more.
SAME_COMMUNE = 40  # both around the same commune
OVERLAP = 30  # circles around two communes that reach each other
SAME_DEPARTEMENT = 20  # in the same département (either may ask for the whole département)
SAME_REGION = 10  # in the same région: possible, with a move
# A project starts when someone starts a group and others join it: complementary roles
# turn two fiches into a project, so they weigh about half of a shared sector.
ROLE_COMPLEMENTARY = 15
# "Start or join" with anyone, or two who both want to start a group (they may join forces).
ROLE_COMPATIBLE = 8
# The legal form decides whether a project can exist at all (co-ownership and a housing
# cooperative do not mix), so a shared tenure weighs more than tastes.
TENURE = 12
# Each kind of project both want (new build, eco-hamlet…) shapes the building; two are
# enough to count fully.
PROJECT_KIND, PROJECT_KIND_MAX = 10, 20
# Being ready at the same time: a household moving within a year cannot wait five.
HORIZON, HORIZON_CLOSE = 8, 3
# Shared values make a group last, but most fiches tick the popular ones: a few points
# each, capped so they never outweigh where and how.
VALUE, VALUE_MAX = 4, 12
SETTING = 6  # urban, periurban or rural, when both chose the same
COMPOSITION = 4  # the same household composition (families with families…): a small plus

# Which kinds of fiche are suggested to which: households meet households, groups
# looking for members and residents; a group meets households (and other groups, to
# merge); residents and resource persons meet those who are looking.
COMPATIBLE_KINDS = {
    ProfileKind.HOUSEHOLD: [ProfileKind.HOUSEHOLD, ProfileKind.GROUP, ProfileKind.RESIDENT],
    ProfileKind.GROUP: [ProfileKind.HOUSEHOLD, ProfileKind.GROUP],
    ProfileKind.RESIDENT: [ProfileKind.HOUSEHOLD],
    ProfileKind.RESOURCE: [ProfileKind.HOUSEHOLD, ProfileKind.GROUP],
}

# Roles, with a group being formed counting as "a group looking for members".
GROUP_ROLE = "group"
ROLE_POINTS = {
    frozenset({Role.CREATE, Role.JOIN}): ROLE_COMPLEMENTARY,
    frozenset({GROUP_ROLE, Role.JOIN}): ROLE_COMPLEMENTARY,
    frozenset({GROUP_ROLE, Role.BOTH}): ROLE_COMPATIBLE,
    frozenset({Role.CREATE, Role.BOTH}): ROLE_COMPATIBLE,
    frozenset({Role.JOIN, Role.BOTH}): ROLE_COMPATIBLE,
    frozenset({Role.BOTH}): ROLE_COMPATIBLE,
    frozenset({Role.CREATE}): ROLE_COMPATIBLE,
}
ROLE_WORDS = {
    Role.CREATE: gettext_lazy("start a group"),
    Role.JOIN: gettext_lazy("join a group"),
    Role.BOTH: gettext_lazy("start or join a group"),
    GROUP_ROLE: gettext_lazy("a group looking for members"),
}
HORIZON_ORDER = [Horizon.UNDER_1_YEAR, Horizon.ONE_TO_3_YEARS, Horizon.OVER_3_YEARS]
# The answers that state no preference: they match nothing in particular.
NO_PREFERENCE = {"", Setting.ANY, Tenure.ANY, Composition.OTHER}


def sector_label(sector):
    """A sector as a reason names it: "Lyon + 20 km", "Rhône (69)", "Bretagne"."""
    if sector.kind == Sector.Kind.COMMUNE:
        return _("%(commune)s + %(radius)d km") % {
            "commune": sector.commune.name,
            "radius": sector.radius_km,
        }
    return str(sector.place)


def role_of(kind, role):
    return GROUP_ROLE if kind == ProfileKind.GROUP else role


# --- The owner's side: what the SQL compares every candidate with -----------------------


@dataclass
class Owner:
    """The fiche suggestions are for, read once: its sectors and its chosen options."""

    profile: Profile
    sectors: list
    project_kinds: dict  # {option id: label}, "no preference" left out
    values: dict

    @classmethod
    def of(cls, profile):
        sectors = list(
            profile.sectors.select_related(
                "commune", "departement", "region", "territory_departement", "territory_region"
            ).order_by("sort_order", "pk")
        )

        def options(name):
            chosen = getattr(profile, name).exclude(slug=ProfileOption.NO_PREFERENCE)
            return {option.pk: str(option) for option in chosen}

        return cls(profile, sectors, options("project_kinds"), options("values"))

    @property
    def role(self):
        return role_of(self.profile.profile_kind, self.profile.role)

    def sector_conditions(self):
        """[(level, index of the owner's sector, condition on a Sector row)], best level
        first: the first condition a candidate's sector meets says how close it is."""
        found = []
        communes = [(i, s) for i, s in enumerate(self.sectors) if s.kind == Sector.Kind.COMMUNE]
        for i, sector in communes:
            found.append((SAME_COMMUNE, i, Q(commune_id=sector.commune_id)))
        for i, sector in communes:
            found.append((OVERLAP, i, overlap_condition(sector)))
        for i, sector in enumerate(self.sectors):
            if sector.territory_departement_id:
                found.append(
                    (
                        SAME_DEPARTEMENT,
                        i,
                        Q(territory_departement_id=sector.territory_departement_id),
                    )
                )
        for i, sector in enumerate(self.sectors):
            if sector.territory_region_id:
                found.append((SAME_REGION, i, Q(territory_region_id=sector.territory_region_id)))
        return found


def overlap_condition(sector):
    """A Sector row around a commune whose circle reaches this sector's circle: a box on
    the commune's indexed coordinates first, then the exact distance."""
    commune = sector.commune
    south, west, north, east = bounding_box(
        commune.latitude, commune.longitude, sector.radius_km + MAX_SECTOR_RADIUS_KM
    )
    distance = distance_km(
        commune.latitude, commune.longitude, "commune__latitude", "commune__longitude"
    )
    return Q(
        LessThanOrEqual(distance, Value(float(sector.radius_km)) + F("radius_km")),
        commune__latitude__range=(south, north),
        commune__longitude__range=(west, east),
    )


# --- The criteria: the points (SQL) and the reason (text) of each -------------------------


def nothing():
    return Value(0, output_field=IntegerField())


def points_when(condition, points):
    return Case(
        SQLWhen(condition, then=Value(points)), default=Value(0), output_field=IntegerField()
    )


def sector_level(owner):
    """The level (points) of a Sector row's closeness to the owner's sectors, in SQL."""
    conditions = owner.sector_conditions()
    if not conditions:
        return nothing()
    return Case(
        *[SQLWhen(condition, then=Value(level)) for level, _i, condition in conditions],
        default=Value(0),
        output_field=IntegerField(),
    )


def owner_sector_index(owner):
    """Which of the owner's sectors gave a Sector row its level, in SQL."""
    return Case(
        *[SQLWhen(condition, then=Value(i)) for _level, i, condition in owner.sector_conditions()],
        default=Value(-1),
        output_field=IntegerField(),
    )


def geography_points(owner):
    best = (
        Sector.objects.filter(profile_id=OuterRef("pk"))
        .annotate(level=sector_level(owner))
        .order_by("-level")
        .values("level")[:1]
    )
    return Coalesce(Subquery(best, output_field=IntegerField()), 0)


def geography_reason(owner, candidate, points, match):
    """`match`: (the candidate's sector, the owner's sector index) at this level."""
    theirs, index = match
    yours = owner.sectors[index]
    if points == SAME_COMMUNE:
        return _("same sector: %(sector)s") % {"sector": sector_label(theirs)}
    if points == OVERLAP:
        return _("neighbouring sectors: %(yours)s and %(theirs)s") % {
            "yours": sector_label(yours),
            "theirs": sector_label(theirs),
        }
    if points == SAME_DEPARTEMENT:
        return _("same département: %(place)s") % {"place": yours.territory_departement}
    return _("same région: %(place)s") % {"place": yours.territory_region.name}


def role_condition(token):
    """A candidate Profile row whose role (a group counting as one) is `token`."""
    if token == GROUP_ROLE:
        return Q(profile_kind=ProfileKind.GROUP)
    return Q(role=token) & ~Q(profile_kind=ProfileKind.GROUP)


def role_points(owner):
    mine = owner.role
    whens = [
        SQLWhen(role_condition(token), then=Value(points))
        for token in ROLE_WORDS
        if mine and (points := ROLE_POINTS.get(frozenset({mine, token})))
    ]
    if not whens:
        return nothing()
    return Case(*whens, default=Value(0), output_field=IntegerField())


def role_reason(owner, candidate, points, match):
    mine = owner.role
    theirs = role_of(candidate.profile_kind, candidate.role)
    if mine == theirs:
        return _("both: %(what)s") % {"what": ROLE_WORDS[mine]}
    words = {"yours": ROLE_WORDS[mine], "theirs": ROLE_WORDS[theirs]}
    if points == ROLE_COMPLEMENTARY:
        return _("complementary roles: %(yours)s / %(theirs)s") % words
    return _("compatible roles: %(yours)s / %(theirs)s") % words


def same_choice_points(field, points):
    def sql(owner):
        value = getattr(owner.profile, field)
        if value in NO_PREFERENCE:
            return nothing()
        return points_when(Q(**{field: value}), points)

    return sql


def same_choice_reason(field, template):
    def reason(owner, candidate, points, match):
        return template() % {"what": getattr(candidate, f"get_{field}_display")()}

    return reason


def horizon_points(owner):
    mine = owner.profile.horizon
    if not mine:
        return nothing()
    position = HORIZON_ORDER.index(mine)
    close = [HORIZON_ORDER[i] for i in (position - 1, position + 1) if 0 <= i < len(HORIZON_ORDER)]
    return Case(
        SQLWhen(horizon=mine, then=Value(HORIZON)),
        SQLWhen(horizon__in=close, then=Value(HORIZON_CLOSE)),
        default=Value(0),
        output_field=IntegerField(),
    )


def horizon_reason(owner, candidate, points, match):
    if points == HORIZON:
        return _("same horizon: %(horizon)s") % {"horizon": candidate.get_horizon_display()}
    return _("close horizons: %(yours)s and %(theirs)s") % {
        "yours": owner.profile.get_horizon_display(),
        "theirs": candidate.get_horizon_display(),
    }


def shared_options_points(name, each, most):
    def sql(owner):
        chosen = getattr(owner, name)
        if not chosen:
            return nothing()
        through = Profile._meta.get_field(name).remote_field.through
        shared = (
            through.objects.filter(profile_id=OuterRef("pk"), profileoption_id__in=list(chosen))
            .order_by()
            .values("profile_id")
            .annotate(count=Count("*"))
            .values("count")
        )
        count = Coalesce(Subquery(shared, output_field=IntegerField()), 0)
        return Least(count * Value(each), Value(most), output_field=IntegerField())

    return sql


def shared_options_reason(name, template):
    def reason(owner, candidate, points, match):
        chosen = getattr(owner, name)
        shared = [str(option) for option in getattr(candidate, name).all() if option.pk in chosen]
        return template() % {"what": ", ".join(shared)}

    return reason


@dataclass(frozen=True)
class Criterion:
    name: str
    # owner -> SQL expression of the points of a candidate Profile row
    points: object
    # (owner, candidate, points, geography match) -> the reason, in the current language
    reason: object


CRITERIA = [
    Criterion("sector", geography_points, geography_reason),
    Criterion("role", role_points, role_reason),
    Criterion(
        "project_kinds",
        shared_options_points("project_kinds", PROJECT_KIND, PROJECT_KIND_MAX),
        shared_options_reason("project_kinds", lambda: _("both: %(what)s")),
    ),
    Criterion(
        "tenure",
        same_choice_points("tenure", TENURE),
        same_choice_reason("tenure", lambda: _("both: %(what)s")),
    ),
    Criterion("horizon", horizon_points, horizon_reason),
    Criterion(
        "values",
        shared_options_points("values", VALUE, VALUE_MAX),
        shared_options_reason("values", lambda: _("shared values: %(what)s")),
    ),
    Criterion(
        "setting",
        same_choice_points("setting", SETTING),
        same_choice_reason("setting", lambda: _("both: %(what)s setting")),
    ),
    Criterion(
        "composition",
        same_choice_points("composition", COMPOSITION),
        same_choice_reason("composition", lambda: _("both: %(what)s")),
    ),
]
