"""Where a topic stands: every step of its template, done / current / waiting, and what the current one lacks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from deliberation.models import Topic
from deliberation.requirements import checklist


def steps_of(topic: Topic, now: datetime) -> list[dict[str, Any]]:
    if topic.template is None:
        return []
    started = {s.definition_id: s for s in topic.steps.all()}
    out = []
    for d in topic.template.steps.order_by("order"):
        s = started.get(d.pk)
        if s is None:
            state = "waiting"
        elif s.completed_at is not None:
            state = "done"
        else:
            state = "current" if topic.status == Topic.Status.ACTIVE else "waiting"
        checks = checklist(topic, s, now) if state == "current" and s is not None else []
        out.append(
            {
                "order": d.order,
                "code": d.code,
                "name": d.name,
                "guidance": d.guidance,
                "requires": list(d.requires),
                "requirement_labels": d.requirement_labels,
                "state": state,
                "started_at": s.started_at if s else None,
                "completed_at": s.completed_at if s else None,
                "checks": checks,
                "missing": [m for _, m in checks if m],
            }
        )
    return out
