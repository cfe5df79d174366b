"""The monthly evaluation report (评单通报): its content, and writing it as PDF and Excel.

``report_content(area, month)`` gathers the figures (from the cube), the rankings of the children and of the
units, the 红黑榜 (``evaluation.honours``), the overdue list and the residents' comments (from the month's
appeal rows, names masked, never phones). Every list counts the appeals submitted in the month, as the figures
do, so a comment rated 不满意 is always among the 评价不满意 that the satisfaction rate counts.
``write_pdf`` and ``write_xlsx`` turn it into files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Q, Sum, Value, When

from appeals.models import Appeal, Kind, Satisfaction, Status
from areas.models import Area
from evaluation import dashboard, honours
from evaluation import selectors as sel
from evaluation.figures import Totals
from evaluation.ledgers import LedgerTable, ledger_tables
from evaluation.selectors import Period, _month_bounds

OVERDUE_LIMIT = 300
COMMENT_LIMIT = 100  # the 不满意 first, so none is cut off
SATISFACTION_ORDER = [
    When(satisfaction=Satisfaction.UNSATISFIED, then=Value(0)),
    When(satisfaction=Satisfaction.BASICALLY, then=Value(1)),
]


@dataclass
class ReportContent:
    area: Area
    period: Period
    headline: list[dashboard.Cell]
    rankings: list[dashboard.Table]
    honours: honours.Honours
    overdue: list[Appeal]
    comments: list[Appeal]
    providers: list[dict] = field(default_factory=list)  # 三库联动: service orders by provider this month
    ledgers: list[LedgerTable] = field(
        default_factory=list
    )  # the other ledgers' figures (evaluation.ledgers)

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
    start, end = _month_bounds(period)
    inside = Appeal.objects.filter(
        kind=Kind.APPEAL, area_path__startswith=area.path, submitted_at__gte=start, submitted_at__lt=end
    )
    overdue = list(
        inside.filter(Q(contact_overdue=True) | Q(resolve_overdue=True))
        .exclude(status__in=["merged", "withdrawn"])
        .select_related("community", "grid", "unit", "category")
        .order_by("submitted_at", "pk")[:OVERDUE_LIMIT]
    )
    comments = list(
        inside.filter(rated_at__isnull=False)
        .exclude(satisfaction="")
        .exclude(rating_comment="")
        .exclude(status__in=["merged", "withdrawn"])
        .select_related("community", "unit", "raised_by")
        .order_by(Case(*SATISFACTION_ORDER, default=Value(9)), "rated_at", "pk")[:COMMENT_LIMIT]
    )
    return ReportContent(
        area=area,
        period=period,
        headline=data["headline"],
        rankings=rankings,
        honours=honours.honours(units.rows),
        overdue=overdue,
        comments=comments,
        providers=providers(area, start, end),
        ledgers=ledger_tables(area, start, end),
    )


def providers(area: Area, start, end) -> list[dict]:
    """三库联动 service orders dispatched in [start, end) under an area, by provider, with the satisfaction
    rate by the same definition (and the same fraction) as every other."""
    orders = Appeal.objects.exclude(status__in=[Status.WITHDRAWN, Status.MERGED]).filter(
        offer__isnull=False,
        area_path__startswith=area.path,
        dispatched_at__gte=start,
        dispatched_at__lt=end,
    )
    rated = Q(rated_at__isnull=False) & ~Q(satisfaction="")
    rows = (
        orders.values("unit__name", "provider__name")
        .annotate(
            taken=Count("id"),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            minutes=Sum("service_minutes"),
            rated=Count("id", filter=rated),
            satisfied=Count("id", filter=rated & Q(satisfaction=Satisfaction.SATISFIED)),
            basically=Count("id", filter=rated & Q(satisfaction=Satisfaction.BASICALLY)),
        )
        .order_by("-taken", "unit__name", "provider__name")
    )
    out = []
    for r in rows:
        totals = Totals()
        totals.counts.update(rated=r["rated"], satisfied=r["satisfied"], basically=r["basically"])
        out.append(
            {
                "name": r["unit__name"] or r["provider__name"] or "",
                "kind": "单位" if r["unit__name"] else "在职党员",
                "taken": r["taken"],
                "closed": r["closed"],
                "hours": round((r["minutes"] or 0) / 60, 1),
                "satisfaction": totals.display("satisfaction_rate"),
                "satisfaction_exact": totals.value("satisfaction_rate"),
                "satisfaction_formula": totals.formula("satisfaction_rate"),
            }
        )
    return out


__all__ = ["ReportContent", "report_content", "sel"]
