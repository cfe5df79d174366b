"""活动: reads. Lists for residents (what is open to them) and staff (what they run), one filter for the page,
the export and the API; a person's credited hours."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum

from access.scope import Scope
from activities import scope as rights
from activities.models import Activity, Attendance
from areas.models import Area


def with_counts(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("community", "area", "site", "unit").annotate(
        signed=Count("attendances", distinct=True),
        present=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False), distinct=True),
    )


def filtered(scope: Scope, params) -> tuple[QuerySet[Activity], dict]:
    """The activities this person may see, by ``kind``, ``status``, ``month`` (YYYY-MM), ``area`` (id; with ``exact=1`` only those published to that very area) and
    ``when`` (upcoming / past); returns the queryset and the filter values understood."""
    qs = rights.activities(scope)
    used: dict = {}
    kind = params.get("kind", "")
    if kind in Activity.Kind.values:
        qs, used["kind"] = qs.filter(kind=kind), kind
    status = params.get("status", "")
    if status in Activity.Status.values:
        qs, used["status"] = qs.filter(status=status), status
    month = params.get("month", "")
    try:
        year, m = (int(x) for x in month.split("-"))
        first = date(year, m, 1)
    except (ValueError, TypeError):
        first = None
    if first is not None:
        qs, used["month"] = qs.filter(starts_at__year=first.year, starts_at__month=first.month), first
    area_id = params.get("area", "")
    if str(area_id).isdigit():
        area = scope.areas().filter(pk=int(area_id)).first()
        if area is not None:
            exact = area.kind == Area.Kind.GRID or params.get("exact") == "1"  # only those published to it
            under = Q(area=area) if exact else Q(community__path__startswith=area.path)
            qs, used["area"] = qs.filter(under), area
    return qs, used


def upcoming(scope: Scope, now: datetime) -> QuerySet[Activity]:
    return with_counts(
        rights.activities(scope)
        .filter(status=Activity.Status.PUBLISHED, ends_at__gte=now)
        .order_by("starts_at")
    )


def person_hours(person_id: int) -> dict:
    """A person's credited attendance: activities and minutes (party members' and volunteers' hours)."""
    row = Attendance.objects.filter(person_id=person_id, minutes__gt=0).aggregate(
        n=Count("id"), m=Sum("minutes")
    )
    return {"activities": row["n"] or 0, "minutes": row["m"] or 0}
