"""Territories (régions and départements) a search, a page or a partner is limited
to, and the queries that find the fiches overlapping them."""

from dataclasses import dataclass

from django.db.models import Q

from profiles_module.models.geography import Departement, Region
from profiles_module.models.profiles import Profile, Sector


@dataclass(frozen=True)
class Territory:
    """Régions and départements a search is limited to; empty means all of France.

    A profile is in the territory when one of its wished sectors overlaps it: a commune
    in it, one of its départements, or a région that contains part of it.
    """

    region_ids: tuple = ()
    departement_ids: tuple = ()

    @classmethod
    def of_page(cls, page):
        return cls(
            tuple(page.regions.values_list("id", flat=True)),
            tuple(page.departements.values_list("id", flat=True)),
        )

    @property
    def everywhere(self):
        return not (self.region_ids or self.departement_ids)

    def __and__(self, other):
        """The part of France both cover (a map page's territory and a partner's)."""
        if self.everywhere or other is None:
            return self if other is None else other
        if other.everywhere:
            return self
        regions = set(self.region_ids) & set(other.region_ids)
        whole = set(Departement.objects.filter(region_id__in=regions).values_list("pk", flat=True))
        departements = set(self.departements_queryset().values_list("pk", flat=True)) & set(
            other.departements_queryset().values_list("pk", flat=True)
        )
        if not regions and not departements:
            return NOWHERE
        return Territory(tuple(sorted(regions)), tuple(sorted(departements - whole)))

    def apply(self, queryset):
        if self.everywhere:
            return queryset
        return queryset.filter(
            pk__in=profiles_overlapping(
                departements=self.departement_ids or None, regions=self.region_ids or None
            )
        )

    def departements_queryset(self):
        departements = Departement.objects.only("code", "name")
        if self.everywhere:
            return departements
        return departements.filter(
            Q(pk__in=self.departement_ids) | Q(region_id__in=self.region_ids)
        )

    def regions_queryset(self):
        regions = Region.objects.only("code", "name")
        if self.everywhere:
            return regions
        # Only the régions chosen whole: a région filter inside a few départements
        # would only repeat the département filter.
        return regions.filter(pk__in=self.region_ids)


# A territory that matches no profile (no département has the id 0).
NOWHERE = Territory(departement_ids=(0,))


def profiles_overlapping(*, departements=None, regions=None):
    """Ids (a subquery) of the profiles with a sector overlapping these places.

    ``departements`` and ``regions``: ids, or querysets of ids; None for none. A sector
    overlaps a département when it lies in it (a commune of it, or the département
    itself) or is the région containing it, and a région when it lies in it; where a
    sector lies is in its indexed territory columns (see Sector.territory_departement).
    One SELECT per case joined by UNION ALL, rather than ORs: each is an index scan,
    where an OR of subqueries makes PostgreSQL read every sector.
    """
    cases = []
    if departements is not None:
        cases.append(Q(territory_departement__in=departements))
        # Région sectors containing one of them: only a région sector names a région
        # (Sector.clean), and its own column has an index.
        cases.append(
            Q(region__in=Departement.objects.filter(pk__in=departements).values("region_id"))
        )
    if regions is not None:
        cases.append(Q(territory_region__in=regions))
    return union_of_profile_ids(Sector.objects.filter(case) for case in cases)


def union_of_profile_ids(querysets):
    """UNION ALL of profile ids from sectors (or profiles), for a ``pk__in`` filter."""
    selects = [
        queryset.order_by().values("pk" if queryset.model is Profile else "profile_id")
        for queryset in querysets
    ]
    return selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]


def in_places(departement_codes=(), region_codes=()):
    """Profiles with a sector overlapping one of these départements or régions (codes)."""
    return Q(
        pk__in=profiles_overlapping(
            departements=(
                Departement.objects.filter(code__in=departement_codes).values("pk")
                if departement_codes
                else None
            ),
            regions=(
                Region.objects.filter(code__in=region_codes).values("pk") if region_codes else None
            ),
        )
    )
