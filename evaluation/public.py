"""What residents see without logging in: their community's rates and its place in the rankings.

``community_figures(community)`` is the context; ``figures_section`` plugs it into the notice app's public page
(``notices.public.PUBLIC_SECTIONS``) and ``/evaluation/public/<code>/`` shows it on its own. Only counts,
rates and ranks: no appeal, no name, no phone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from areas.models import Area
from evaluation import ranking
from evaluation import selectors as sel
from evaluation.figures import FIGURES_BY_KEY, Totals
from evaluation.models import MonthlyReport
from linli import clock

PUBLIC_FIGURES = (
    "composite",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "closure_rate",
    "on_time_rate",
)


def _rank_among(area: Area, siblings_root: Area, kind: str, period: sel.Period) -> dict[str, Any]:
    """The area's rank among the areas of its kind under ``siblings_root`` that take part in the ranking
    (``evaluation.ranking``), how many take part, and why it does not when it does not."""
    nodes = list(Area.objects.filter(kind=kind, path__startswith=siblings_root.path))
    data = sel.breakdown(sel.cells(siblings_root, period), kind)
    rows = [sel.Row(n.pk, n.name, data.get(n.pk, Totals())) for n in nodes]
    mine = next(r for r in rows if r.key == area.pk)
    ranked, _ = ranking.split(rows, kind)
    return {"rank": mine.rank, "total": len(ranked), "reason": ranking.not_ranked_reason(mine, kind)}


def community_figures(community: Area, now: datetime | None = None) -> dict[str, Any]:
    """Last month's and this year's figures of a community, its ranks, and its grids ranked."""
    this_month = sel.month_of(now or clock.now())
    last = sel.Period(sel.add_months(this_month, -1), sel.add_months(this_month, -1))
    year = sel.Period(this_month.replace(month=1), this_month)
    month_totals = sel.totals(sel.cells(community, last))
    year_totals = sel.totals(sel.cells(community, year))
    figures = [
        {
            "label": FIGURES_BY_KEY[k].label,
            "definition": FIGURES_BY_KEY[k].definition,
            "month": month_totals.display(k),
            "month_formula": month_totals.formula(k) if FIGURES_BY_KEY[k].kind == "rate" else "",
            "year": year_totals.display(k),
            "year_formula": year_totals.formula(k) if FIGURES_BY_KEY[k].kind == "rate" else "",
        }
        for k in PUBLIC_FIGURES
    ]
    ranks = []
    parent = Area.objects.filter(pk=community.parent_id).first() if community.parent_id else None
    district = Area.objects.filter(pk__in=community.ancestor_ids(), kind=Area.Kind.DISTRICT).first()
    for root, label in ((parent, "在本街道各社区中"), (district, "在全区各社区中")):
        if root is not None:
            ranks.append({"label": label, **_rank_among(community, root, Area.Kind.COMMUNITY, last)})
    grid_data = sel.breakdown(sel.cells(community, last), "grid")
    ranked_grids, apart = ranking.split(
        [sel.Row(g.pk, g.name, grid_data.get(g.pk, Totals())) for g in sel.child_areas(community)], "grid"
    )
    grids = ranked_grids + [r for group in apart for r in group.rows]
    return {
        "community": community,
        "last_period": last,
        "year_period": year,
        "figures": figures,
        "counted_month": month_totals["counted"],
        "counted_year": year_totals["counted"],
        "ranks": ranks,
        "rank_rule": ranking.RULE,
        "grids": [
            {
                "name": r.label,
                "rank": r.rank,
                "score": r.totals.display("composite"),
                "counted": r.totals["counted"],
                "reason": ranking.not_ranked_reason(r, "grid"),
            }
            for r in grids
        ],
        "reports": list(
            MonthlyReport.objects.filter(
                area=community, status=MonthlyReport.Status.DONE, published_at__isnull=False
            ).order_by("-month")[:6]
        ),
    }


def figures_section(community: Area, now: datetime):
    """A section of the notice app's public community page (``/community/<code>/``)."""
    from notices.public import PublicSection

    return PublicSection(
        key="figures",
        title="三率与排名",
        template="evaluation/public_section.html",
        context=community_figures(community, now),
    )


def report_notice_body(report: MonthlyReport, community: Area) -> str:
    """The text of a published report on a community's notice board: its figures and rank, no personal data."""
    data = community_figures(community, report.finished_at)
    period = sel.Period(report.month, report.month)
    totals = sel.totals(sel.cells(community, period))
    lines = [
        f"{report.area.name}{period.label}评单通报（{community.name}）",
        f"受理诉求 {totals['counted']} 件。",
    ]
    for k in PUBLIC_FIGURES:
        formula = totals.formula(k) if FIGURES_BY_KEY[k].kind == "rate" else ""
        lines.append(
            f"{FIGURES_BY_KEY[k].label}：{totals.display(k)}" + (f"（{formula}）" if formula else "")
        )
    for r in data["ranks"]:
        if r["rank"]:
            lines.append(f"{r['label']}排名第 {r['rank']} 名（共 {r['total']} 个社区参与排名）")
        else:
            lines.append(f"{r['label']}：{r['reason']}")
    lines.append("通报全文（PDF、Excel）可到社区查阅。")
    return "\n".join(lines)
