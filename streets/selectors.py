"""Reads of 街长制: the streets offered at intake, the streets a 街长 leads and the appeals on them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone

from access.scope import Scope
from appeals.models import OPEN_STATUSES, Appeal
from appeals.selectors import visible_appeals
from areas.models import Area
from streets.models import Street


def intake_streets(scope: Scope) -> list[tuple[Street, str]]:
    """(street, label) for the intake forms: the streets of the communities the user files in. The label names
    the community when the streets are of more than one."""
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY)
    streets = list(Street.objects.filter(community__in=communities).select_related("community", "head__user"))
    many = len({s.community_id for s in streets}) > 1
    return [(s, f"{s.community.name} · {s}" if many else str(s)) for s in streets]


def led_streets(scope: Scope) -> QuerySet[Street]:
    """The streets whose 街长 the user is (``Scope.street_ids``)."""
    return Street.objects.filter(pk__in=scope.street_ids).select_related("community", "lead_unit")


def visible_streets(scope: Scope) -> QuerySet[Street]:
    """The streets of the communities the user sees, those through the grids they see, and those they lead."""
    if scope.is_admin:
        return Street.objects.all()
    areas = scope.areas()
    through = Street.grids.through.objects.filter(area__in=areas).values("street_id")
    return Street.objects.filter(
        Q(community__in=areas.filter(kind=Area.Kind.COMMUNITY))
        | Q(pk__in=through)
        | Q(pk__in=scope.street_ids)
    )


def street_appeals(scope: Scope, street_ids: Iterable[int]) -> QuerySet[Appeal]:
    """The appeals on these streets the user may read, the open ones first, newest first."""
    return (
        visible_appeals(scope)
        .filter(street_id__in=list(street_ids))
        .select_related("street", "category", "unit", "grid")
        .annotate(is_open=Case(When(status__in=OPEN_STATUSES, then=0), default=1))
        .order_by("is_open", "-submitted_at", "-id")
    )


def year_bounds(now: datetime) -> tuple[datetime, datetime]:
    """[1 January, next 1 January) of ``now``'s year, aware."""
    tz = timezone.get_current_timezone()
    return datetime(now.year, 1, 1, tzinfo=tz), datetime(now.year + 1, 1, 1, tzinfo=tz)
