"""小区 on other pages: the area's staff page, the community's public page, the hub and the 红色物业 ranking."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from compounds import figures, selectors
from compounds.models import CRITERIA, Body, Compound, Rating
from compounds.ratings import quarter_of
from compounds.scope import visible_compounds
from evaluation.ledgers import Cell, LedgerTable
from linli import clock
from notices.public import PublicSection
from notices.selectors import runs_community
from web.hub import HubLink

PLACES = (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY, Area.Kind.ZONE, Area.Kind.GRID)


def area_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind not in PLACES:
        return None
    rows = selectors.overviews(selectors.in_area(visible_compounds(scope), area))
    community = area if area.kind == Area.Kind.COMMUNITY else None
    if not rows and not (community and runs_community(scope, community)):
        return None
    return PublicSection(
        key="compounds",
        title="小区与红色物业",
        template="compounds/section_area.html",
        context={"rows": rows, "community": community, "show_community": area.kind == Area.Kind.SUBDISTRICT},
    )


def public_section(community: Area, now: datetime) -> PublicSection | None:
    """Each 小区 with its 业委会, 自管会 and firm (names and posts, never phones) and the firm's current rating."""
    rows = selectors.overviews(Compound.objects.filter(community=community).order_by("name"))
    if not rows:
        return None
    return PublicSection(
        key="compounds",
        title="小区自治与红色物业",
        template="compounds/section_public.html",
        context={"rows": rows, "criteria": [label for _, label in CRITERIA]},
    )


def hub_card(request, scope: Scope) -> HubLink | None:
    if scope.is_staff_like:
        if not visible_compounds(scope).exists() and not scope.is_admin:
            return None
        return HubLink(
            title="小区与红色物业",
            url=reverse("compounds-index"),
            description="小区及其楼栋，业委会、自管会和物业的成员与任期，业委会选举，物业季度评价和四色测评。",
        )
    person = scope.person
    if person is None:
        return None
    mine = Compound.objects.filter(
        buildings__households__memberships__person=person,
        bodies__kind=Body.Kind.PROPERTY,
        bodies__status=Body.Status.ACTIVE,
    ).distinct()
    if not mine:
        return None
    year, quarter = quarter_of(clock.now().date())
    rated = set(
        Rating.objects.filter(
            person=person, rater=Rating.Rater.RESIDENT, year=year, quarter=quarter, compound__in=mine
        ).values_list("compound_id", flat=True)
    )
    waiting = sum(1 for c in mine if c.pk not in rated)
    return HubLink(
        title="评价物业",
        url=reverse("compounds-detail", args=[mine[0].pk]),
        description=f"为{mine[0].name}的物业服务打分（每季度一次），看业委会和物业的公示。",
        waiting=waiting or None,
        waiting_label="本季度待评价",
    )


def _rank_order(entry: tuple) -> tuple:
    _, residents, community = entry
    return (-(residents.rate.value or 0), -(community.rate.value or 0))


def firm_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    """The firms serving compounds of the area, ranked by residents' 满意度 in the quarters of the period."""
    quarters = figures.quarters_between(start, end)
    ratings = Rating.objects.filter(
        figures.in_quarters(quarters), compound__community__path__startswith=area.path
    )
    serving = Body.objects.filter(
        kind=Body.Kind.PROPERTY, status=Body.Status.ACTIVE, compound__community__path__startswith=area.path
    ).select_related("firm", "party_org")
    firms = {b.firm for b in serving if b.firm is not None}
    firms |= {r.firm for r in ratings.select_related("firm")}
    if not firms:
        return None
    entries = []
    for firm in sorted(firms, key=lambda f: f.code):
        mine = ratings.filter(firm=firm)
        entries.append(
            (
                firm,
                figures.score_of(mine.filter(rater=Rating.Rater.RESIDENT)),
                figures.score_of(mine.filter(rater=Rating.Rater.COMMUNITY)),
            )
        )
    ranked = sorted((e for e in entries if e[1].n >= figures.MIN_RATINGS), key=_rank_order)
    others = [e for e in entries if e[1].n < figures.MIN_RATINGS]
    rows: list[list[Cell]] = []
    links: list[str] = []
    for i, (firm, residents, community) in enumerate([*ranked, *others], start=1):
        bodies = [b for b in serving if b.firm_id == firm.pk]
        orgs = sorted({b.party_org.name for b in bodies if b.party_org is not None})
        colour = community.colour
        rows.append(
            [
                str(i) if i <= len(ranked) else f"—（居民评价不足 {figures.MIN_RATINGS} 人次）",
                firm.name,
                "、".join(orgs) or "—",
                len(bodies),
                residents.n,
                *(residents.mean(f) for f, _ in CRITERIA),
                residents.rate,
                community.n,
                community.rate,
                colour[1] if colour else "—",
            ]
        )
        links.append(reverse("unit-detail", args=[firm.pk]))
    period = "、".join(f"{y}年第{q}季度" for y, q in quarters)
    return LedgerTable(
        key="compounds",
        title="红色物业测评排名",
        columns=[
            "名次",
            "物业服务企业",
            "物业党组织",
            "服务小区",
            "居民评价人次",
            *(f"{label}（均分）" for _, label in CRITERIA),
            "居民满意度",
            "社区测评次数",
            "社区测评得分率",
            "四色等级",
        ],
        rows=rows,
        definitions=[
            f"统计{period}的评价（按评价所属季度），区域内小区的评价才计入。",
            "居民每季度为所住小区的物业在五项指标上各打 1–5 星，每人每季度一次；社区每季度测评一次。",
            "各项均分 = 该项星数之和 ÷ 居民评价人次（保留一位小数）。",
            "居民满意度 = 居民所给星数之和 ÷（25 × 居民评价人次）；社区测评得分率 = 社区所给星数之和 ÷（25 × 测评次数）。",
            "四色等级按社区测评得分率：红色（示范）≥ 90%，绿色（良好）≥ 75%，黄色（达标）≥ 60%，其余橙色（整改）。",
            f"居民评价不少于 {figures.MIN_RATINGS} 人次的企业按居民满意度排名（相同时按社区测评得分率），其余列在后面。",
            "服务小区 = 目前由该企业服务的区域内小区数；物业党组织为其所服务小区登记的党组织（红色物业）。",
        ],
        links=links,
    )


AREA = [area_section]
PUBLIC = [public_section]
HUB = [hub_card]
REPORT = [firm_table]
