"""Who may see and do what in 走访, built on ``access.scope.Scope``.

- Area staff (grid worker and leader, community, subdistrict, district) see the rounds, visits and tags of their
  subtree; district leadership reads only.
- Grid workers and leaders, community and subdistrict staff visit the households of the grids under their node and
  tag them (the people they keep: ``PEOPLE_KEEPER_ROLES``).
- Community and subdistrict staff open rounds over an area under their node and assign grid workers.
- Residents, building heads, unit staff and party members see no visits (a visit is a worker's record).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, PEOPLE_KEEPER_ROLES, Scope, any_of
from areas.models import Area, Household
from visits.models import HouseholdTag, Round, Visit


def _under(scope: Scope, roles, field: str) -> Q:
    return any_of([Q(**{f"{field}__startswith": n.path}) for n in scope.nodes(roles)])


def visible_visits(scope: Scope) -> QuerySet[Visit]:
    if scope.is_admin:
        return Visit.objects.all()
    return Visit.objects.filter(_under(scope, AREA_STAFF_ROLES, "grid__path"))


def visible_rounds(scope: Scope) -> QuerySet[Round]:
    """Rounds over an area inside the person's subtree, and rounds over an area above it (a grid worker sees the
    community's round that covers their grid)."""
    if scope.is_admin:
        return Round.objects.all()
    nodes = scope.nodes(AREA_STAFF_ROLES)
    above: set[int] = set()
    for n in nodes:
        above.update(n.ancestor_ids())
    return Round.objects.filter(_under(scope, AREA_STAFF_ROLES, "area__path") | Q(area_id__in=above))


def visible_tags(scope: Scope) -> QuerySet[HouseholdTag]:
    if scope.is_admin:
        return HouseholdTag.objects.all()
    return HouseholdTag.objects.filter(_under(scope, AREA_STAFF_ROLES, "household__building__grid__path"))


def visitable_households(scope: Scope) -> QuerySet[Household]:
    """The households this person visits (and tags): those of the grids whose people they keep."""
    if scope.is_admin:
        return Household.objects.all()
    return Household.objects.filter(_under(scope, PEOPLE_KEEPER_ROLES, "building__grid__path"))


def may_visit(scope: Scope, household: Household) -> bool:
    if scope.is_admin:
        return True
    path = household.building.grid.path
    return any(path.startswith(n.path) for n in scope.nodes(PEOPLE_KEEPER_ROLES))


def may_open_round(scope: Scope, area: Area) -> bool:
    """Community and subdistrict staff open rounds over their own node or below it."""
    if scope.is_admin:
        return True
    return any(area.path.startswith(n.path) for n in scope.nodes(AREA_MANAGER_ROLES))


def is_visitor(scope: Scope) -> bool:
    """Has a role that visits households (sees the 走访 pages)."""
    return scope.is_admin or bool(scope.roles & AREA_STAFF_ROLES)


def is_grid_worker(scope: Scope) -> bool:
    return bool(scope.roles & {Role.GRID_WORKER, Role.GRID_LEADER})
