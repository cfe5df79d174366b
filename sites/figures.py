"""党群服务阵地 figures for a period: 延时服务 次数, 代办 件数, 预约服务, room use, by child area (or by site within a
community). The same counting serves the dashboards, the monthly report, the ledger page and its Excel file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from evaluation.ledgers import LedgerTable, Rate
from sites.models import Booking, ServiceRecord, ServiceSite

DEFINITIONS = [
    "代办件数：该月受理（受理时间在该月）并已办结的代办服务条数。",
    "预约服务件数：该月已办结的预约服务条数（居民预约并到场，或工作人员登记）。",
    "延时服务次数：该月已办结的代办、预约和窗口服务中，受理时间落在阵地标注为“延时”的时段、周末，或当日常规开放时段之外的条数。",
    "场地使用：该月开始、登记为“已到场”的活动室预约数。",
    "预约确认率：该月开始的预约中，工作人员确认的（已确认、已到场、未到场）÷ 已处理的（确认的 + 未同意的）。",
]
DONE = ServiceRecord.Status.DONE
CONFIRMED = (Booking.Status.CONFIRMED, Booking.Status.ATTENDED, Booking.Status.NO_SHOW)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(month.replace(day=1), time()))
    following = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return start, timezone.make_aware(datetime.combine(following, time()))


@dataclass
class Row:
    label: str
    sites: QuerySet[ServiceSite]
    link: str


def rows_for(area: Area, start: datetime, end: datetime) -> list[Row]:
    """Within a community, one row per site; above it, one row per child area that has sites."""
    base = reverse("sites-ledger")
    month = timezone.localtime(start).strftime("%Y-%m")
    if area.kind in (Area.Kind.COMMUNITY, Area.Kind.ZONE, Area.Kind.GRID):
        community = area.ancestor_of_kind(Area.Kind.COMMUNITY) or area
        sites = ServiceSite.objects.filter(community=community)
        if area.kind != Area.Kind.COMMUNITY:
            sites = sites.filter(grid__path__startswith=area.path)
        return [
            Row(s.name, ServiceSite.objects.filter(pk=s.pk), f"{base}?site={s.pk}&month={month}")
            for s in sites.order_by("name")
        ]
    rows = []
    for child in area.children.order_by("path"):
        sites = ServiceSite.objects.filter(community__path__startswith=child.path)
        if sites.exists():
            rows.append(Row(child.name, sites, f"{base}?area={child.pk}&month={month}"))
    return rows


def counts(sites: QuerySet[ServiceSite], start: datetime, end: datetime) -> dict:
    records = ServiceRecord.objects.filter(
        site__in=sites, served_at__gte=start, served_at__lt=end, status=DONE
    )
    r = records.aggregate(
        errands=Count("id", filter=Q(kind=ServiceRecord.Kind.ERRAND)),
        appointments=Count("id", filter=Q(kind=ServiceRecord.Kind.APPOINTMENT)),
        extended=Count("id", filter=Q(extended=True)),
    )
    bookings = Booking.objects.filter(site__in=sites, starts_at__gte=start, starts_at__lt=end)
    b = bookings.aggregate(
        used=Count("id", filter=Q(kind=Booking.Kind.ROOM, status=Booking.Status.ATTENDED)),
        confirmed=Count("id", filter=Q(status__in=CONFIRMED)),
        declined=Count("id", filter=Q(status=Booking.Status.DECLINED)),
    )
    return {**r, **b}


def site_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    rows = rows_for(area, start, end)
    if not rows:
        return None
    table = LedgerTable(
        key="sites",
        title="党群服务阵地：延时服务与代办",
        columns=["阵地 / 区域", "代办件数", "预约服务件数", "延时服务次数", "场地使用", "预约确认率"],
        rows=[],
        definitions=DEFINITIONS,
    )
    total = {"errands": 0, "appointments": 0, "extended": 0, "used": 0, "confirmed": 0, "declined": 0}
    for row in rows:
        c = counts(row.sites, start, end)
        for key in total:
            total[key] += c[key]
        table.rows.append(
            [
                row.label,
                c["errands"],
                c["appointments"],
                c["extended"],
                c["used"],
                Rate(c["confirmed"], c["confirmed"] + c["declined"]),
            ]
        )
        table.links.append(row.link)
    table.rows.append(
        [
            "合计",
            total["errands"],
            total["appointments"],
            total["extended"],
            total["used"],
            Rate(total["confirmed"], total["confirmed"] + total["declined"]),
        ]
    )
    table.links.append("")
    return table
