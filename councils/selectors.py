"""Reads of the councils: a meeting's agenda (open issues, then the earlier decisions it must follow up)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from areas.models import Area
from councils.models import Council, Decision, Issue, Meeting


def open_issues(council: Council) -> QuerySet[Issue]:
    return council.issues.filter(status=Issue.Status.OPEN).select_related("community", "raised_by__unit")


def to_follow_up(meeting: Meeting) -> QuerySet[Decision]:
    """Decisions of the council's earlier meetings still open, not yet followed up at this meeting."""
    return (
        Decision.objects.filter(
            meeting__council=meeting.council,
            status=Decision.Status.OPEN,
            meeting__scheduled_at__lt=meeting.scheduled_at,
        )
        .exclude(follow_ups__meeting=meeting)
        .select_related("issue", "owner_unit", "owner_person", "meeting", "project", "appeal")
    )


def decisions_due(area: Area, start: datetime, end: datetime) -> QuerySet[Decision]:
    """Decisions of the councils in the area whose deadline falls in [start, end)."""
    return Decision.objects.filter(
        meeting__council__area__path__startswith=area.path, due__gte=start.date(), due__lt=end.date()
    ).select_related("meeting__council")
