"""The monthly evaluation report (评单通报): its content, and writing it as PDF and Excel.

``report_content(area, month)`` gathers the figures (from the cube), the rankings of the children and of the
units, the best and worst units, the overdue list and the residents' comments (from the month's appeal rows,
names masked, never phones). ``write_pdf`` and ``write_xlsx`` turn it into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from appeals.models import Appeal
from areas.models import Area
from evaluation import dashboard
from evaluation import selectors as sel
from evaluation.selectors import Period, _month_bounds
from needs.selectors import provider_month_records

OVERDUE_LIMIT = 300
COMMENT_LIMIT = 100
BEST_WORST = 3


@dataclass
class ReportContent:
    area: Area
    period: Period
    headline: list[dashboard.Cell]
    rankings: list[dashboard.Table]
    best_units: list[dashboard.TableRow]
    worst_units: list[dashboard.TableRow]
    overdue: list[Appeal]
    comments: list[Appeal]
    providers: list[dict] = field(default_factory=list)  # 三库联动: service orders by provider this month

    @property
    def title(self) -> str:
        return f"{self.area.name} {self.period.label} 评单通报"


def report_content(area: Area, month: date) -> ReportContent:
    from evaluation.views import ranking_tables

    period = Period(month, month)
    data = dashboard.build(area, period)
    rankings = ranking_tables(area, period)
    if area.kind in (Area.Kind.COMMUNITY, Area.Kind.ZONE):
        rankings = [t for t in data["tables"] if t.key == "children"] + rankings
    units = next(t for t in rankings if t.key == "units")
    ranked_units = [r for r in units.rows if r.rank is not None]
    start, end = _month_bounds(period)
    inside = Appeal.objects.filter(area_path__startswith=area.path)
    overdue = list(
        inside.filter(submitted_at__gte=start, submitted_at__lt=end)
        .filter(Q(contact_overdue=True) | Q(resolve_overdue=True))
        .exclude(status__in=["merged", "withdrawn"])
        .select_related("community", "grid", "unit", "category")
        .order_by("submitted_at", "pk")[:OVERDUE_LIMIT]
    )
    comments = list(
        inside.filter(rated_at__gte=start, rated_at__lt=end)
        .exclude(rating_comment="")
        .select_related("community", "unit", "raised_by")
        .order_by("rated_at", "pk")[:COMMENT_LIMIT]
    )
    return ReportContent(
        area=area,
        period=period,
        headline=data["headline"],
        rankings=rankings,
        best_units=ranked_units[:BEST_WORST],
        worst_units=list(reversed(ranked_units[-BEST_WORST:])) if len(ranked_units) > BEST_WORST else [],
        overdue=overdue,
        comments=comments,
        providers=provider_month_records(area.path, start, end),
    )


__all__ = ["ReportContent", "report_content", "sel"]
