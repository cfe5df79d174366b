"""Who may see a dispute case and act on it, built on ``access.scope.Scope``.

A dispute is private. Its parties, statements, sessions and agreement are for:
- the community's mediation staff over the case's place: community staff, the 人民调解员、法律顾问、社区民警
  held for its community (or for its grid), the grid's workers and leader;
- those above with the right: subdistrict staff (街道调处室) and the administrator;
- the case's team and its 包案 owner (whoever they are);
- the parties themselves (a resident sees only the cases they are a party to, and only their own statement).
District leadership sees the cases (kind, place, state, dates: the figures' drill-down) but not who the parties
are or what they said. Nobody else sees a case at all (404), and nothing of it is on a public page.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import Scope, any_of
from areas.models import Area
from disputes.models import Case
from disputes.workflow import MANAGER_ACTIONS, WORKER_ACTIONS

# Roles that work on the disputes of the place where they are held.
MEDIATION_ROLES: set[str] = {
    Role.COMMUNITY_STAFF,
    Role.SUBDISTRICT_STAFF,
    Role.MEDIATOR,
    Role.LEGAL_ADVISER,
    Role.COMMUNITY_POLICE,
    Role.GRID_WORKER,
    Role.GRID_LEADER,
}
# Roles that also accept, assign, refer and close: the community's mediation committee and the subdistrict.
MANAGER_ROLES: set[str] = {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF, Role.MEDIATOR}
READER_ROLES: set[str] = {Role.DISTRICT_LEADER}
# Who registers a case for a place: its mediation staff (a grid worker on a visit, the hotline at the community).
REGISTER_ROLES = MEDIATION_ROLES


def _covers(scope: Scope, roles: AbstractSet[str], path: str) -> bool:
    return any(path.startswith(n.path) for n in scope.nodes(roles))


def visible_cases(scope: Scope) -> QuerySet[Case]:
    """The cases this person may see at all (selectors, pages and API start here: others are 404)."""
    qs = Case.objects.all()
    if scope.is_admin:
        return qs
    nodes = scope.nodes(MEDIATION_ROLES | READER_ROLES)
    conditions = [Q(area_path__startswith=n.path) for n in nodes]
    person = scope.person
    if person is not None:
        conditions += [Q(owner=person), Q(members__person=person), Q(parties__person=person)]
    return qs.filter(pk__in=Case.objects.filter(any_of(conditions)).values("pk"))


@dataclass(frozen=True)
class Actor:
    """What a user is to one case."""

    manager: bool
    worker: bool  # works the case: team, owner, mediation staff over its place
    sees_parties: bool
    party_ids: frozenset[int]  # the Party rows that are this person

    @property
    def is_party(self) -> bool:
        return bool(self.party_ids)


def actor_for(scope: Scope, case: Case) -> Actor:
    path = case.area_path
    person = scope.person
    manager = scope.is_admin or _covers(scope, MANAGER_ROLES, case.community.path)
    on_team = person is not None and (
        case.owner_id == person.pk or case.members.filter(person=person).exists()
    )
    worker = manager or on_team or _covers(scope, MEDIATION_ROLES, path)
    party_ids = (
        frozenset(case.parties.filter(person=person).values_list("pk", flat=True))
        if person is not None
        else frozenset()
    )
    return Actor(manager=manager, worker=worker, sees_parties=worker or bool(party_ids), party_ids=party_ids)


def may(actor: Actor, action: str) -> bool:
    if action in MANAGER_ACTIONS:
        return actor.manager
    if action in WORKER_ACTIONS:
        return actor.worker
    if action == "rate":
        return actor.is_party or actor.worker  # a party, or the follow-up call on a party's behalf (回访代评)
    return False


def may_register(scope: Scope, community: Area, grid: Area | None = None) -> bool:
    """Mediation staff over the place (a grid's workers for their grid); a resident brings their own dispute
    (checked by the service)."""
    target = grid.path if grid is not None else community.path
    return scope.is_admin or _covers(scope, REGISTER_ROLES, target)


def is_resident_of(scope: Scope, community: Area) -> bool:
    person = scope.person
    return person is not None and person.community_id == community.pk


def registers_anywhere(scope: Scope) -> bool:
    return scope.is_admin or bool(scope.nodes(REGISTER_ROLES))


def works_on_disputes(scope: Scope) -> bool:
    """Sees a cases board (mediation staff, leadership reading it)."""
    return scope.is_admin or bool(scope.nodes(MEDIATION_ROLES | READER_ROLES))


def register_places(scope: Scope) -> QuerySet[Area]:
    """The communities and grids this person may register a case for."""
    qs = Area.objects.filter(kind__in=[Area.Kind.COMMUNITY, Area.Kind.GRID])
    if scope.is_admin:
        return qs
    community_nodes = scope.nodes(REGISTER_ROLES - {Role.GRID_WORKER, Role.GRID_LEADER})
    grid_nodes = scope.nodes({Role.GRID_WORKER, Role.GRID_LEADER})
    conditions = [Q(path__startswith=n.path) for n in community_nodes + grid_nodes]
    return qs.filter(any_of(conditions))
