"""Reads of 共建: agreements in force, and what each unit actually did, counted from the platform's own records.

Nothing here is typed in by the unit: a project counts when the unit claimed it in the community, a service order
or an appeal when the unit completed it there, service time from the orders' logged minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from appeals.models import Appeal, Kind
from areas.models import Area
from cobuilding.models import Agreement
from projects.models import Project
from units.models import Unit


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def in_force(qs: QuerySet[Agreement], start: date, end: date) -> QuerySet[Agreement]:
    """Agreements whose term overlaps [start, end] and that were not ended before it began."""
    return qs.filter(starts_on__lte=end, ends_on__gte=start).filter(
        Q(ended_at__isnull=True) | Q(ended_at__date__gte=start)
    )


@dataclass(frozen=True)
class Work:
    projects_claimed: int
    projects_done: int
    orders_done: int
    appeals_done: int
    service_minutes: int

    @property
    def service_hours(self) -> str:
        return f"{self.service_minutes / 60:.1f}"


def projects_claimed(unit: Unit, community: Area, start: datetime, end: datetime) -> QuerySet[Project]:
    return Project.objects.filter(
        claimed_by=unit, community__path__startswith=community.path, claimed_at__gte=start, claimed_at__lt=end
    )


def projects_done(unit: Unit, community: Area, start: datetime, end: datetime) -> QuerySet[Project]:
    return Project.objects.filter(
        claimed_by=unit,
        community__path__startswith=community.path,
        status=Project.Status.DONE,
        done_at__gte=start,
        done_at__lt=end,
    )


def completed(unit: Unit, community: Area, start: datetime, end: datetime, kind: str) -> QuerySet[Appeal]:
    """Appeals (or service orders) of the community the unit completed in the period."""
    return Appeal.objects.filter(
        unit=unit,
        kind=kind,
        area_path__startswith=community.path,
        completed_at__gte=start,
        completed_at__lt=end,
    )


def work_of(unit: Unit, community: Area, start: datetime, end: datetime) -> Work:
    orders = completed(unit, community, start, end, Kind.SERVICE_ORDER)
    return Work(
        projects_claimed=projects_claimed(unit, community, start, end).count(),
        projects_done=projects_done(unit, community, start, end).count(),
        orders_done=orders.count(),
        appeals_done=completed(unit, community, start, end, Kind.APPEAL).count(),
        service_minutes=orders.aggregate(m=Sum("service_minutes"))["m"] or 0,
    )


@dataclass(frozen=True)
class UnitYear:
    agreement: Agreement
    work: Work
    money_fen: int
    people: int
    hours_pledged: int


def pledged(agreement: Agreement) -> tuple[int, int, int]:
    totals = agreement.pledges.aggregate(m=Sum("amount_fen"), p=Sum("people"), h=Sum("hours_per_year"))
    return totals["m"] or 0, totals["p"] or 0, totals["h"] or 0


def community_year(qs: QuerySet[Agreement], community: Area, year: int) -> list[UnitYear]:
    """The community's agreements in force in the year, each with what the unit did there that year."""
    start, end = year_bounds(year)
    out = []
    agreements = in_force(qs.filter(community=community), date(year, 1, 1), date(year, 12, 31))
    for a in agreements.select_related("unit").prefetch_related("pledges"):
        money, people, hours = pledged(a)
        out.append(UnitYear(a, work_of(a.unit, community, start, end), money, people, hours))
    return out


def unit_year(qs: QuerySet[Agreement], unit: Unit, year: int) -> list[UnitYear]:
    """The unit's agreements in force in the year (one per community), each with its work there."""
    start, end = year_bounds(year)
    out = []
    agreements = in_force(qs.filter(unit=unit), date(year, 1, 1), date(year, 12, 31))
    for a in agreements.select_related("community").prefetch_related("pledges"):
        money, people, hours = pledged(a)
        out.append(UnitYear(a, work_of(unit, a.community, start, end), money, people, hours))
    return out
