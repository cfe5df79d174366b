"""活动 figures for a period: 场次 and 人次 by kind and child area. One counting for the dashboards, the monthly
report and its Excel file."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Attendance
from areas.models import Area
from evaluation.ledgers import LedgerTable

DEFINITIONS = [
    "场次：开始时间在该月、已举办（已结束并写了小结，或事后补录）的活动数；取消的和仍在报名中的不计。",
    "人次：这些活动的签到人数之和（扫码、工作人员勾选或补录；一人参加两次计两人次）。",
    "计入时长：这些活动中计入党员和志愿者服务时长的分钟数之和，折合小时（志愿服务活动的每位参加者都计入）。",
    "区域：社区及以下按活动面向的网格（面向全社区的计入“全社区”）；街道及以上按下级区域。",
]


def _child_rows(area: Area) -> list[tuple[str, Q, str]]:
    """(label, filter on Activity, the area id for the drill-down link)."""
    if area.kind in (Area.Kind.COMMUNITY, Area.Kind.ZONE):
        rows = (
            [("全社区", Q(community=area, area=area), f"{area.pk}&exact=1")]
            if area.kind == Area.Kind.COMMUNITY
            else []
        )
        for grid in Area.objects.filter(path__startswith=area.path, kind=Area.Kind.GRID).order_by("path"):
            rows.append((grid.name, Q(area=grid), str(grid.pk)))
        return rows
    if area.kind == Area.Kind.GRID:
        return [(area.name, Q(area=area), str(area.pk))]
    return [
        (c.name, Q(community__path__startswith=c.path), str(c.pk)) for c in area.children.order_by("path")
    ]


def activity_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    held = Activity.objects.filter(status=Activity.Status.HELD, starts_at__gte=start, starts_at__lt=end)
    if area.kind == Area.Kind.GRID:
        held = held.filter(area=area)
    else:
        held = held.filter(community__path__startswith=area.path)
    if not held.exists():
        return None
    month = timezone.localtime(start).strftime("%Y-%m")
    base = reverse("activities-index")
    table = LedgerTable(
        key="activities",
        title="社区活动：场次与人次",
        columns=["区域", "类型", "场次", "人次", "计入时长（小时）"],
        rows=[],
        definitions=DEFINITIONS,
    )
    labels = dict(Activity.Kind.choices)
    total = [0, 0, 0]
    for label, condition, area_id in _child_rows(area):
        per_kind = (
            held.filter(condition)
            .values("kind")
            .annotate(
                n=Count("id", distinct=True),
                people=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False)),
                credited=Sum("attendances__minutes"),
            )
            .order_by("kind")
        )
        for row in per_kind:
            minutes = row["credited"] or 0
            table.rows.append(
                [label, str(labels[row["kind"]]), row["n"], row["people"], round(minutes / 60, 1)]
            )
            table.links.append(f"{base}?status=held&month={month}&kind={row['kind']}&area={area_id}")
            total[0] += row["n"]
            total[1] += row["people"]
            total[2] += minutes
    table.rows.append(["合计", "", total[0], total[1], round(total[2] / 60, 1)])
    table.links.append(f"{base}?status=held&month={month}&area={area.pk}")
    return table


def people_count(activities) -> int:
    return Attendance.objects.filter(activity__in=activities, checked_in_at__isnull=False).count()
