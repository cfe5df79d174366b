"""The party tree and 共建 on other pages: the area's staff page, the public community page, the hub, the figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from cobuilding import party, selectors
from cobuilding.models import Agreement
from cobuilding.scope import agreements
from evaluation.ledgers import Cell, LedgerTable, Rate, table_of
from linli import clock
from notices.public import PublicSection
from web.hub import HubLink


def party_tree_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind != Area.Kind.COMMUNITY:
        return None
    return PublicSection(
        key="party-tree",
        title="党组织体系",
        template="cobuilding/section_tree.html",
        context={
            "community": area,
            "chain": party.chain_above(area),
            "nodes": party.flatten(party.tree(area)),
            "coverage": party.coverage(area),
            "link": True,
        },
    )


def cobuilding_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind != Area.Kind.COMMUNITY:
        return None
    year = clock.now().year
    return PublicSection(
        key="cobuilding",
        title=f"共建单位 · {year} 年做了什么",
        template="cobuilding/section_cobuilding.html",
        context={
            "community": area,
            "year": year,
            "years": selectors.community_year(agreements(scope), area, year),
        },
    )


def public_structure(community: Area, now: datetime) -> PublicSection | None:
    """The party organisations with their secretaries' names, and the co-building units (no phones, no members)."""
    nodes = party.flatten(party.tree(community))
    units = list(
        selectors.in_force(Agreement.objects.filter(community=community), now.date(), now.date())
        .select_related("unit")
        .order_by("unit__name")
    )
    if not nodes and not units:
        return None
    return PublicSection(
        key="structure",
        title="党组织与共建单位",
        template="cobuilding/section_public.html",
        context={"nodes": nodes, "agreements": units},
    )


def hub_card(request, scope: Scope) -> HubLink | None:
    if not (scope.is_staff_like or scope.unit_ids):
        return None
    return HubLink(
        title="党建与共建",
        url=reverse("cobuilding-index"),
        description="党组织体系（大党委、网格党支部、楼栋党小组）与书记，共建单位的协议、承诺和本年度实际完成情况。",
    )


# ---- figures ------------------------------------------------------------------------------------------------
def coverage_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    rows: list[list[Cell]] = []
    links: list[str] = []
    for a in [*party.rows_below(area), area]:
        c = party.coverage(a)
        name = f"{a.name}（合计）" if a == area else a.name
        rows.append(
            [name, c.buildings, c.covered, Rate(c.covered, c.buildings), c.party_members, c.registered]
        )
        community = a.ancestor_of_kind(Area.Kind.COMMUNITY)
        links.append(reverse("cobuilding-community", args=[community.pk]) if community else "")
    if not any(r[1] for r in rows):
        return None
    return LedgerTable(
        key="party-coverage",
        title="党组织覆盖",
        columns=["区域", "楼栋数", "有楼栋党小组的楼栋", "楼栋党小组覆盖率", "党员", "双报到在职党员"],
        rows=rows,
        definitions=[
            f"按 {party.as_of(end - timedelta(seconds=1))} 的登记统计（党组织体系为现状，不随月份回溯）。",
            "楼栋党小组覆盖率 = 设有楼栋党小组（党小组登记了所在楼栋）的楼栋数 ÷ 区域内楼栋数。",
            "党员：党员标记为“是”、所属社区或所住楼栋在区域内的人员。",
            "双报到在职党员：在区域内社区报到且仍在册的党员人数（按人去重）。",
        ],
        links=links,
    )


def contributions_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    qs = selectors.in_force(
        Agreement.objects.filter(community__path__startswith=area.path),
        start.date(),
        (end - timedelta(days=1)).date(),
    ).select_related("unit", "community")

    def row(a: Agreement) -> tuple[list[Cell], str]:
        w = selectors.work_of(a.unit, a.community, start, end)
        cells: list[Cell] = [
            f"{a.unit.name} ↔ {a.community.name}",
            w.projects_claimed,
            w.projects_done,
            w.orders_done,
            w.service_hours,
            w.appeals_done,
        ]
        return cells, reverse("cobuilding-agreement", args=[a.pk])

    return table_of(
        qs.order_by("community__path", "unit__name"),
        row,
        key="cobuilding",
        title="共建单位贡献",
        columns=["共建单位 ↔ 社区", "认领项目", "完成项目", "完成服务单", "服务时长（小时）", "办结诉求"],
        definitions=[
            "列出本期内有效的共建协议（起止日期与本期有交集、未在本期前终止）。",
            "认领项目：本期内该单位认领的该社区项目；完成项目：本期内完成的、该单位认领的该社区项目。",
            "完成服务单：本期内该单位报告完成的该社区服务单；服务时长为这些服务单登记的服务分钟数 ÷ 60。",
            "办结诉求：本期内该单位报告完成的、派给该单位的该社区诉求。",
        ],
    )


AREA = [party_tree_section, cobuilding_section]
PUBLIC = [public_structure]
HUB = [hub_card]
REPORT = [coverage_table, contributions_table]
