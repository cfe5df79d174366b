"""Reads of 楼院三长: who covers which building and households, their coverage, and their work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from access.scope import Scope
from appeals.models import Appeal
from areas.models import Area, Building, Household
from estates.models import Steward
from visits.models import Visit


def stewards(scope: Scope) -> QuerySet[Steward]:
    """Stewards of the buildings this person may see."""
    return Steward.objects.filter(building__in=scope.buildings()).select_related("person", "building")


def active_in(area: Area) -> QuerySet[Steward]:
    return Steward.objects.filter(building__grid__path__startswith=area.path, ended_at__isnull=True)


@dataclass(frozen=True)
class StewardCoverage:
    buildings: int
    with_head: int  # buildings with a 楼长 in office
    households: int
    covered: int  # households covered by a 中心户长 in office
    household_heads: int  # 中心户长 in office
    party_household_heads: int  # of whom party members (党员中心户)


def coverage(area: Area) -> StewardCoverage:
    buildings = Building.objects.filter(grid__path__startswith=area.path)
    households = Household.objects.filter(building__grid__path__startswith=area.path)
    active = active_in(area)
    heads = active.filter(post=Steward.Post.HOUSEHOLD_HEAD)
    return StewardCoverage(
        buildings=buildings.count(),
        with_head=buildings.filter(
            pk__in=active.filter(post=Steward.Post.BUILDING_HEAD).values("building")
        ).count(),
        households=households.count(),
        covered=households.filter(pk__in=heads.values("households")).count(),
        household_heads=heads.count(),
        party_household_heads=heads.filter(person__is_party_member=True).count(),
    )


@dataclass(frozen=True)
class Work:
    visits: int
    appeals: int


def work_of(steward: Steward, start: datetime, end: datetime) -> Work:
    """Visits the steward made and appeals the steward recorded for residents, in [start, end)."""
    user_id = steward.person.user_id
    if user_id is None:
        return Work(0, 0)
    return Work(
        visits=Visit.objects.filter(visitor_id=user_id, visited_at__gte=start, visited_at__lt=end).count(),
        appeals=Appeal.objects.filter(recorded_by_id=user_id, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(raised_by=steward.person)
        .count(),
    )
