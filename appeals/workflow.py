"""The appeal loop in one table: which action may start from which status, where it goes, and who may take it.

``appeals.services`` holds one function per action; each looks its action up here, locks the row, checks the
status and the actor, and writes an event. ``allowed_actions`` tells pages and the API what to offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.models import Role
from access.scope import Scope
from appeals.models import OPEN_STATUSES, Appeal, Level, Status

S = Status

# action -> statuses it may start from. Where it goes is decided by its service (some have two outcomes).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "triage": (S.SUBMITTED, S.RETURNED),
    "dispatch": (S.SUBMITTED, S.RETURNED),
    "accept": (S.DISPATCHED,),
    "return": (S.DISPATCHED,),
    "progress": (S.ACCEPTED,),
    "complete": (S.ACCEPTED,),
    "rate": (S.COMPLETED,),
    "reopen": (S.COMPLETED, S.CLOSED),
    "withdraw": OPEN_STATUSES,
    "whistle": (S.SUBMITTED, S.RETURNED, S.DISPATCHED, S.ACCEPTED),
    "report_in": (S.DISPATCHED, S.ACCEPTED),
    "part_done": (S.ACCEPTED, S.DISPATCHED),
    "release_part": (S.DISPATCHED, S.ACCEPTED),
    "merge": OPEN_STATUSES,
    "supervise": (S.DISPATCHED, S.ACCEPTED, S.RETURNED, S.SUBMITTED),
    "log_time": (S.ACCEPTED,),
}

ACTION_LABELS = {
    "triage": "分类",
    "dispatch": "派单",
    "accept": "接单",
    "return": "退回",
    "progress": "进展",
    "complete": "办结",
    "rate": "评价",
    "reopen": "重新办理",
    "withdraw": "撤回",
    "whistle": "吹哨",
    "report_in": "报到",
    "part_done": "完成本单位任务",
    "release_part": "解除报到",
    "merge": "合并",
    "supervise": "督办",
    "submit": "提交",
    "escalate": "升级",
    "overdue": "超时",
    "follow": "关注",
    "log_time": "记录服务时长",
}

MAX_REOPENS = 2  # an appeal rated unsatisfied more often than this goes up a level


@dataclass(frozen=True)
class Actor:
    """What a user is to one appeal."""

    dispatcher: bool  # may triage, dispatch, whistle, merge, reopen
    supervisor: bool
    handler: bool  # staff of the unit handling it
    whistled_unit_ids: frozenset[int]
    raiser: bool
    follow_up: bool  # staff who may record the 回访 rating


def actor_for(scope: Scope, appeal: Appeal) -> Actor:
    path = appeal.area_path
    community_path = appeal.community.path

    def holds(roles: set[str]) -> bool:
        return any(path.startswith(n.path) or community_path.startswith(n.path) for n in scope.nodes(roles))

    dispatcher = scope.is_admin or (
        (appeal.level <= Level.COMMUNITY and holds({Role.COMMUNITY_STAFF}))
        or (appeal.level <= Level.SUBDISTRICT and holds({Role.SUBDISTRICT_STAFF}))
        or holds({Role.DISTRICT_LEADER})
    )
    supervisor = scope.is_admin or holds({Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF, Role.DISTRICT_LEADER})
    unit_ids = scope.unit_ids
    whistled = (
        frozenset(  # only unit staff can be summoned: nobody else needs the parts read
            p.unit_id for p in appeal.whistle_parts.all() if p.unit_id in unit_ids and not p.is_finished
        )
        if unit_ids
        else frozenset()
    )
    person = scope.person
    provider = person is not None and appeal.provider_id == person.pk  # a party member serving in person
    return Actor(
        dispatcher=dispatcher,
        supervisor=supervisor,
        handler=(appeal.unit_id is not None and appeal.unit_id in unit_ids) or provider,
        whistled_unit_ids=whistled,
        raiser=person is not None and appeal.raised_by_id == person.pk,
        follow_up=scope.is_admin or holds({Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.GRID_LEADER}),
    )


def may(actor: Actor, action: str, appeal: Appeal) -> bool:
    """Whether this actor may take this action (status aside)."""
    if action == "complete":  # the handler completes once every summoned unit has finished its part
        return actor.handler and not _open_parts(appeal)
    rules = {
        "triage": actor.dispatcher,
        "dispatch": actor.dispatcher,
        "whistle": actor.dispatcher,
        "merge": actor.dispatcher,
        "reopen": actor.dispatcher,
        "release_part": actor.dispatcher,
        "supervise": actor.supervisor,
        "accept": actor.handler,
        "return": actor.handler,
        "progress": actor.handler or bool(actor.whistled_unit_ids),
        "report_in": bool(actor.whistled_unit_ids),
        "part_done": bool(actor.whistled_unit_ids),
        "rate": actor.raiser or actor.follow_up,
        "withdraw": actor.raiser or actor.dispatcher,
        "log_time": actor.handler,
    }
    return rules.get(action, False)


def _open_parts(appeal: Appeal) -> bool:
    """Whether summoned units are still at work (their parts neither done nor released); read from the parts
    prefetched with the appeal when they were (``prefetch_related("whistle_parts")``)."""
    return any(not p.is_finished for p in appeal.whistle_parts.all())


def allowed_actions(scope: Scope, appeal: Appeal) -> list[str]:
    """The actions this user may take on this appeal now, in the order a page shows them."""
    actor = actor_for(scope, appeal)
    return [
        action
        for action, sources in TRANSITIONS.items()
        if appeal.status in sources and may(actor, action, appeal) and _extra_guard(action, appeal, actor)
    ]


def _extra_guard(action: str, appeal: Appeal, actor: Actor) -> bool:
    parts = list(appeal.whistle_parts.all()) if action in ("report_in", "part_done", "release_part") else []
    if action == "report_in":
        return any(p.unit_id in actor.whistled_unit_ids and p.status == p.PartStatus.SUMMONED for p in parts)
    if action == "part_done":
        return any(p.unit_id in actor.whistled_unit_ids and p.status == p.PartStatus.REPORTED for p in parts)
    if action == "release_part":
        return any(not p.is_finished for p in parts)
    if action == "log_time":
        return appeal.kind == "service_order" or appeal.need_id is not None
    if action == "supervise":
        return appeal.status in (S.DISPATCHED, S.ACCEPTED) or appeal.is_overdue
    return True
