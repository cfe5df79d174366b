"""An appeal's timeline as its reader sees it.

Who acted is told by name and role ("吴书记（社区工作者）", "孙经理（幸福物业）"), never by a login name. A resident
reading their own appeal sees the steps of their appeal, not the staff's internal lines (supervision, overdue
flags, who follows it after a merge, a unit released from a whistle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from access.models import Role, RoleAssignment
from access.scope import Scope
from appeals.models import Appeal, AppealEvent
from appeals.selectors import ANONYMOUS_NAME, raiser_hidden
from appeals.workflow import ACTION_LABELS
from people.models import Person

# Steps only staff read: a resident's timeline leaves them out.
INTERNAL_ACTIONS = frozenset({"follow", "supervise", "overdue", "release_part", "escalate"})

# The role a person acted in, when they hold several: the working roles first.
ROLE_ORDER: list[str] = [
    Role.UNIT_STAFF,
    Role.COMMUNITY_STAFF,
    Role.SUBDISTRICT_STAFF,
    Role.DISTRICT_LEADER,
    Role.GRID_LEADER,
    Role.GRID_WORKER,
    Role.BUILDING_HEAD,
    Role.PARTY_MEMBER,
    Role.ADMIN,
    Role.RESIDENT,
]

SYSTEM = "系统"


@dataclass(frozen=True)
class Who:
    name: str  # the person's name ("" when the account has none)
    role: str  # the role they acted in: a unit's name for unit staff, else the role's label

    def __str__(self) -> str:
        if self.name and self.role:
            return f"{self.name}（{self.role}）"
        return self.name or self.role or "工作人员"


@dataclass(frozen=True)
class Entry:
    event: AppealEvent
    label: str  # the step, in words
    who: str  # "吴书记（社区工作者）", or 系统


def _role_text(assignments: list[RoleAssignment]) -> str:
    if not assignments:
        return ""
    best = min(assignments, key=lambda a: ROLE_ORDER.index(a.role) if a.role in ROLE_ORDER else 99)
    if best.role == Role.UNIT_STAFF and best.unit is not None:
        return best.unit.name
    return str(best.get_role_display())


def describe_actors(user_ids: Iterable[int | None]) -> dict[int, Who]:
    """Name and role of each user (three queries for any number of them)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    names = dict(Person.objects.filter(user_id__in=ids).values_list("user_id", "name"))
    roles: dict[int, list[RoleAssignment]] = {}
    for a in RoleAssignment.objects.filter(user_id__in=ids).select_related("unit"):
        roles.setdefault(a.user_id, []).append(a)
    out = {}
    for user in get_user_model().objects.filter(pk__in=ids).only("first_name", "last_name", "is_superuser"):
        name = names.get(user.pk) or user.get_full_name().strip()
        role = _role_text(roles.get(user.pk, []))
        if not role and user.is_superuser:
            role = str(Role.ADMIN.label)
        out[user.pk] = Who(name=name, role=role)
    return out


def sees_internal(scope: Scope) -> bool:
    """Staff read every line; a resident (or party member at home) reads only the steps of their appeal."""
    return scope.is_staff_like


def visible_events(scope: Scope, appeal: Appeal) -> list[AppealEvent]:
    # No event predates its appeal's submission (``appeals.submission`` stamps both with one ``now``; later steps
    # are later): bounding ``at`` lets PostgreSQL read only the months since then (the table is partitioned by
    # month of ``at``: ``linli.partitions``) instead of every month's index.
    rows = appeal.events.filter(at__gte=appeal.submitted_at).select_related("unit").order_by("at", "id")
    if not sees_internal(scope):
        rows = rows.exclude(action__in=INTERNAL_ACTIONS)
    events = list(rows)
    if raiser_hidden(scope, appeal):
        _hide_raiser(events, appeal)
    return events


def _hide_raiser(events: list[AppealEvent], appeal: Appeal) -> None:
    """An anonymous raiser's own steps are told as 匿名居民's, and their name leaves the notes (in memory only)."""
    raiser = appeal.raised_by
    for e in events:
        if e.actor_id is not None and e.actor_id == raiser.user_id:
            e.actor_id = None
            e.actor_hidden = True  # type: ignore[attr-defined]
        if raiser.name and raiser.name in e.note:
            e.note = e.note.replace(raiser.name, ANONYMOUS_NAME)


def timeline(scope: Scope, appeal: Appeal) -> list[Entry]:
    events = visible_events(scope, appeal)
    actors = describe_actors(e.actor_id for e in events)
    return [
        Entry(
            event=e,
            label=ACTION_LABELS.get(e.action, e.action),
            who=ANONYMOUS_NAME
            if getattr(e, "actor_hidden", False)
            else str(actors[e.actor_id])
            if e.actor_id in actors
            else SYSTEM,
        )
        for e in events
    ]


def waiting_for(appeal: Appeal) -> str:
    """Who the appeal waits for now, in a worker's words (shown to staff with nothing to do on it)."""
    status = appeal.status
    if status in ("submitted", "returned"):
        return f"等待{appeal.community.name}的社区工作人员分类派单"
    open_parts = [p for p in appeal.whistle_parts.all() if not p.is_finished]
    if open_parts and status in ("dispatched", "accepted"):
        names = "、".join(f"{p.unit.name}（{p.get_status_display()}）" for p in open_parts)
        return f"吹哨报到中，等待 {names}"
    unit = appeal.unit.name if appeal.unit else (appeal.provider.name if appeal.provider else "承办方")
    if status == "dispatched":
        return f"等待{unit}接单"
    if status == "accepted":
        return f"{unit}办理中"
    if status == "completed":
        return "等待居民评价（或社区、网格员回访代评）"
    return f"已{appeal.get_status_display().removeprefix('已')}，不需要再处理"
