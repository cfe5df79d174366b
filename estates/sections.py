"""楼院三长 on other pages: the area's staff page, the public community page, the hub and the figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch
from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from estates import selectors
from estates.models import Steward
from evaluation.ledgers import Cell, LedgerTable, Rate
from notices.public import PublicSection
from web.hub import HubLink


def stewards_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind not in (Area.Kind.COMMUNITY, Area.Kind.ZONE, Area.Kind.GRID):
        return None
    community = area.ancestor_of_kind(Area.Kind.COMMUNITY)
    active = (
        Steward.objects.filter(ended_at__isnull=True).select_related("person").annotate(n=Count("households"))
    )
    buildings = (
        scope.buildings()
        .filter(grid__path__startswith=area.path)
        .annotate(n_households=Count("households", distinct=True))
        .prefetch_related(Prefetch("stewards", queryset=active, to_attr="active"))
        .order_by("code")
    )
    return PublicSection(
        key="stewards",
        title="楼院三长",
        template="estates/section_area.html",
        context={"community": community, "buildings": buildings, "coverage": selectors.coverage(area)},
    )


def public_stewards(community: Area, now: datetime) -> PublicSection | None:
    """Names and posts of the building heads, as the seeds publish them on the notice board (no phones)."""
    rows = list(
        selectors.active_in(community)
        .exclude(post=Steward.Post.HOUSEHOLD_HEAD)
        .select_related("person", "building")
        .order_by("building__code", "post")
    )
    if not rows:
        return None
    return PublicSection(
        key="stewards",
        title="楼长、单元长",
        template="estates/section_public.html",
        context={"stewards": rows},
    )


def hub_card(request, scope: Scope) -> HubLink | None:
    if not scope.is_staff_like:
        return None
    return HubLink(
        title="楼院三长",
        url=reverse("estates-index"),
        description="楼长、单元长、中心户长的聘任、联系户和聘书，楼长制覆盖率。",
    )


def coverage_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    below = {"district": "subdistrict", "subdistrict": "community", "community": "grid", "zone": "grid"}
    kind = below.get(area.kind)
    parts = list(Area.objects.filter(path__startswith=area.path, kind=kind).order_by("path")) if kind else []
    rows: list[list[Cell]] = []
    links: list[str] = []
    for a in [*parts, area]:
        c = selectors.coverage(a)
        rows.append(
            [
                f"{a.name}（合计）" if a == area else a.name,
                c.buildings,
                c.with_head,
                Rate(c.with_head, c.buildings),
                c.households,
                c.covered,
                Rate(c.covered, c.households),
                c.household_heads,
                c.party_household_heads,
            ]
        )
        community = a.ancestor_of_kind(Area.Kind.COMMUNITY)
        links.append(reverse("estates-community", args=[community.pk]) if community else "")
    if not rows[-1][1]:
        return None
    return LedgerTable(
        key="stewards",
        title="楼院三长覆盖",
        columns=[
            "区域",
            "楼栋",
            "有楼长",
            "楼长制覆盖率",
            "户数",
            "中心户长联系户",
            "中心户覆盖率",
            "中心户长",
            "党员中心户",
        ],
        rows=rows,
        definitions=[
            f"按 {(end - timedelta(seconds=1)):%Y-%m-%d} 的在任人员统计（聘任登记为现状，卸任的不计）。",
            "楼长制覆盖率 = 有在任楼长的楼栋 ÷ 区域内楼栋数。",
            "中心户覆盖率 = 由在任中心户长联系的户 ÷ 区域内户数（一户被多人联系只计一次）。",
            "党员中心户 = 在任中心户长中党员的人数。",
        ],
        links=links,
    )


AREA = [stewards_section]
PUBLIC = [public_stewards]
HUB = [hub_card]
REPORT = [coverage_table]
