"""The notice board's loops as data. A notice is published → withdrawn; residents object while it is published
(and in its period, checked by the service); an objection is open → answered. ``notices.steps`` holds the loops
on ``linli.steps``, ``notices.services`` one function per step."""

from __future__ import annotations

from django.utils import timezone

from notices.models import Notice, Objection

PUBLISHED = (Notice.Status.PUBLISHED,)

# action -> states it may start from
TRANSITIONS: dict[str, tuple[str, ...]] = {"withdraw": PUBLISHED, "object": PUBLISHED}
LABELS = {"withdraw": "撤回", "object": "提出异议"}
WRONG_STATE = {"withdraw": "该公示{state}", "object": "该公示{state}，不能再提出异议"}

OBJECTION_TRANSITIONS: dict[str, tuple[str, ...]] = {"answer": (Objection.OPEN,)}
OBJECTION_LABELS = {"answer": "答复"}


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


OBJECTION_WRONG_STATE = {"answer": lambda objection: f"该异议已于 {when(objection.answered_at)} 答复"}
