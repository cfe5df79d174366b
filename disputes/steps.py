"""The dispute loop on the shared step machinery (``linli.steps``): its ``Loop``, ``begin`` with the case's
actor, and the event row."""

from __future__ import annotations

from datetime import datetime

from access.scope import Scope
from disputes.models import Case, CaseEvent
from disputes.scope import Actor, actor_for, may
from disputes.workflow import LABELS, TRANSITIONS
from linli.steps import Loop

CASES: Loop[Case] = Loop(
    model=Case,
    noun="案件",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=CaseEvent,
    event_fk="case",
    related=("community", "grid", "kind", "owner"),
    key="case",
)


def begin(user, case_id: int, action: str) -> tuple[Case, Actor]:
    """Lock the row, then refuse: the wrong status first (409), then the lack of right (403)."""
    case = CASES.lock(case_id)
    CASES.check_state(case, action)
    actor = actor_for(Scope.of(user), case)
    CASES.refuse_unless(may(actor, action), action)
    return case, actor


def record(case: Case, *, user, action: str, from_status: str, note: str = "", at: datetime | None = None):
    return CASES.record(case, user=user, action=action, from_state=from_status, note=note, at=at)


def url(case: Case) -> str:
    return f"/disputes/{case.pk}/"
