"""The notice board on the shared step machinery (``linli.steps``): a ``Loop`` for notices and one for the
objections raised against them. Their event rows are audit rows (``audit.models.record``), written by the
services."""

from __future__ import annotations

from linli.steps import Loop
from notices import workflow as w
from notices.models import Notice, Objection

NOTICES: Loop[Notice] = Loop(
    model=Notice,
    noun="公示",
    transitions=w.TRANSITIONS,
    labels=w.LABELS,
    related=("community",),
    key="notice",
    wrong_state=w.WRONG_STATE,
)
OBJECTIONS: Loop[Objection] = Loop(
    model=Objection,
    noun="异议",
    transitions=w.OBJECTION_TRANSITIONS,
    labels=w.OBJECTION_LABELS,
    state_field="state",
    related=("notice__community", "person__user"),
    key="objection",
    wrong_state=w.OBJECTION_WRONG_STATE,
)


def url(notice: Notice) -> str:
    return f"/community/{notice.community.code}/notices/{notice.pk}/"
