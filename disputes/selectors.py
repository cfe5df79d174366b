"""Reads of the mediation loop, always through ``disputes.scope.visible_cases``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from access.models import Role
from access.scope import Scope
from areas.models import Area
from disputes.models import Agreement, Case, Member, Party, Status
from disputes.scope import MEDIATION_ROLES, visible_cases
from people.models import Person

# The duty a person has on a team, from the role they hold.
DUTY_OF_ROLE: dict[str, str] = {
    Role.GRID_WORKER: Member.Duty.GRID_WORKER,
    Role.GRID_LEADER: Member.Duty.GRID_WORKER,
    Role.MEDIATOR: Member.Duty.MEDIATOR,
    Role.LEGAL_ADVISER: Member.Duty.LEGAL_ADVISER,
    Role.COMMUNITY_POLICE: Member.Duty.POLICE,
    Role.COMMUNITY_STAFF: Member.Duty.COMMUNITY,
    Role.SUBDISTRICT_STAFF: Member.Duty.COMMUNITY,
}

BUILDING_ROLES = {Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.HOUSEHOLD_HEAD}

# The board's columns, in the loop's order.
BOARD_STATES = [
    (Status.REGISTERED, "待受理"),
    ("working", "调解中"),
    (Status.AGREED, "协议待签"),
    (Status.FOLLOWING, "履行跟踪"),
    (Status.CLOSED, "已结案"),
    (Status.REFERRED, "已移交"),
    (Status.WITHDRAWN, "已撤销"),
]


def team_candidates(case: Case) -> QuerySet[Person]:
    """The community's mediation force for this case: holders of a mediation role for its community, its grids,
    or above it (the subdistrict's 调处室)."""
    community = case.community
    areas = Area.objects.filter(Q(pk__in=community.ancestor_ids()) | Q(path__startswith=community.path))
    held = Q(user__role_assignments__role__in=MEDIATION_ROLES, user__role_assignments__area__in=areas)
    if case.building_id:  # the "A" of 4+A: the building's heads
        held |= Q(
            user__role_assignments__role__in=BUILDING_ROLES, user__role_assignments__building=case.building_id
        )
    return Person.objects.filter(held, user__is_active=True).distinct().order_by("name", "pk")


def candidate_duties(case: Case) -> list[tuple[Person, str, str]]:
    """(person, suggested duty, what they are) for the team form."""
    out: list[tuple[Person, str, str]] = []
    for person in team_candidates(case).prefetch_related("user__role_assignments__area"):
        assert person.user is not None
        held = [
            a
            for a in person.user.role_assignments.all()
            if (a.role in MEDIATION_ROLES and a.area)
            or (a.role in BUILDING_ROLES and a.building_id == case.building_id)
        ]
        held.sort(key=lambda a: list(DUTY_OF_ROLE).index(a.role) if a.role in DUTY_OF_ROLE else 99)
        first = held[0]
        out.append(
            (
                person,
                DUTY_OF_ROLE.get(first.role, Member.Duty.OTHER),
                f"{first.get_role_display()} · {first.holder_label}",
            )
        )
    return out


@dataclass
class BoardFilters:
    state: str = ""
    area: Area | None = None
    kind: int | None = None
    overdue: bool = False
    risk: bool = False
    q: str = ""


def board(scope: Scope, f: BoardFilters) -> QuerySet[Case]:
    qs = visible_cases(scope).select_related("kind", "community", "grid", "owner")
    if f.area is not None:
        qs = qs.filter(area_path__startswith=f.area.path)
    if f.state == "working":
        qs = qs.filter(status__in=[Status.ACCEPTED, Status.MEDIATING])
    elif f.state == "open":
        qs = qs.filter(
            status__in=[Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.AGREED, Status.FOLLOWING]
        )
    elif f.state in Status.values:
        qs = qs.filter(status=f.state)
    if f.kind:
        qs = qs.filter(kind_id=f.kind)
    if f.overdue:
        qs = qs.filter(overdue=True)
    if f.risk:
        qs = qs.filter(may_escalate=True)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(pk=int(f.q)) if f.q.isdigit() else Q(title__icontains=f.q))
    return qs.order_by("-registered_at", "-id")


def state_counts(qs: QuerySet[Case]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    out = {key: counts.get(key, 0) for key, _ in BOARD_STATES if key != "working"}
    out["working"] = counts.get(Status.ACCEPTED, 0) + counts.get(Status.MEDIATING, 0)
    return out


def my_cases(scope: Scope) -> QuerySet[Case]:
    """The cases the person is a party to (their own disputes)."""
    person = scope.person
    if person is None:
        return Case.objects.none()
    return Case.objects.filter(parties__person=person).distinct().select_related("kind", "community")


def current_agreement(case: Case) -> Agreement | None:
    return case.agreements.filter(broken_at__isnull=True).order_by("-made_at", "-id").first()


def party_keys(parties: list[Party]) -> frozenset[str]:
    """Who the parties are across cases: the register's person, else the phone, else the name."""
    keys = set()
    for p in parties:
        keys.add(f"p{p.person_id}" if p.person_id else f"t{p.phone}" if p.phone else f"n{p.name}")
    return frozenset(keys)


def repeat_of(case: Case) -> Case | None:
    """An earlier case of the same community between (at least two of) the same parties: a repeat dispute."""
    mine = party_keys(list(case.parties.all()))
    earlier = (
        Case.objects.filter(community_id=case.community_id, registered_at__lt=case.registered_at)
        .prefetch_related("parties")
        .order_by("-registered_at")
    )
    for other in earlier:
        if len(mine & party_keys(list(other.parties.all()))) >= 2:
            return other
    return None
