"""走访 on pages it does not own: its card on 社区事务 and its figures on the dashboards and in the monthly report."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from access.scope import Scope
from areas.models import Area
from evaluation.ledgers import Cell, LedgerTable, Rate, table_of
from linli import clock
from visits import selectors as sel
from visits.models import FREQUENCY_LABELS, CareTag, HouseholdTag, RoundGrid, Visit
from visits.scope import is_visitor, visible_tags


def hub_card(request, scope: Scope):
    from web.hub import HubLink

    if not is_visitor(scope):
        return None
    due = sum(1 for c in sel.care_due(visible_tags(scope), clock.now()) if c.overdue)
    return HubLink(
        title="入户走访",
        url=reverse("visits-home"),
        description="走访轮次、网格员手机登记走访、重点人群按期走访，走访中发现的问题一键转为诉求或需求",
        waiting=due or None,
        waiting_label="重点户逾期",
    )


def round_grids(area: Area, start: datetime, end: datetime):
    """The grids under ``area`` in rounds that overlap [start, end)."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    return (
        RoundGrid.objects.filter(
            grid__path__startswith=area.path, round__starts_on__lt=last, round__ends_on__gte=first
        )
        .select_related("round", "grid", "worker__person")
        .order_by("round__starts_on", "round_id", "grid__path")
    )


def coverage_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    def row(rg: RoundGrid) -> tuple[list[Cell], str]:
        cov = sel.grid_coverage(rg, end, list_households=False)
        worker = getattr(getattr(rg.worker, "person", None), "name", "") or "未指定"
        cells: list[Cell] = [
            rg.round.title,
            rg.grid.name,
            worker,
            cov.households,
            cov.visited,
            Rate(cov.visited, cov.households),
            sel.overdue_count(rg, end),
        ]
        return cells, reverse("visits-round", args=[rg.round_id])

    return table_of(
        round_grids(area, start, end)[:500],
        row,
        key="visits-coverage",
        title="入户走访覆盖",
        columns=["走访轮次", "网格", "负责网格员", "户数", "已走访户", "走访覆盖率", "逾期未走访户"],
        definitions=[
            "列出与本期相交的走访轮次中本区域内的每个网格。",
            "户数：网格内登记的户数。已走访户：轮次开始日至完成期限（截至本期末）有过见到住户的走访的户数，无人在家不计。",
            "走访覆盖率 = 已走访户 ÷ 户数。",
            "逾期未走访户：截至本期末已过网格的完成期限、仍未走访的户数。",
        ],
    )


def care_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    tags = HouseholdTag.objects.filter(
        household__building__grid__path__startswith=area.path, since__lt=timezone.localtime(end).date()
    )
    if not tags.exists():
        return None

    def row(tag: CareTag) -> tuple[list[Cell], str]:
        mine = list(tags.filter(tag=tag))
        timely = sum(1 for t in mine if sel.on_time(t, end))
        visits = Visit.objects.filter(
            household__in=[t.household_id for t in mine], met=True, visited_at__gte=start, visited_at__lt=end
        ).count()
        cells: list[Cell] = [
            str(tag.label),
            FREQUENCY_LABELS[tag],
            len(mine),
            visits,
            timely,
            Rate(timely, len(mine)),
        ]
        return cells, reverse("visits-care")

    return table_of(
        CareTag,
        row,
        key="visits-care",
        title="重点人群按期走访",
        columns=["重点人群", "走访周期", "重点户", "本期走访次数", "按期走访户", "按期走访率"],
        definitions=[
            "重点户：本期末以前登记为该重点人群的户（独居老人、困难家庭、残疾人）。",
            "本期走访次数：本期内在重点户见到住户的走访次数。",
            "按期走访户：本期末之前一个走访周期内（独居老人 7 天、困难家庭 15 天、残疾人 30 天）见到过住户的重点户。",
            "按期走访率 = 按期走访户 ÷ 重点户。",
        ],
    )


HUB = [hub_card]
REPORT = [coverage_table, care_table]
