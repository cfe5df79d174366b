"""Pages of the figures: the dashboards of each level, rankings, and Excel exports of every table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from access.scope import Scope
from appeals.models import Kind
from appeals.selectors import QueueFilters, queue
from areas.models import Area
from evaluation import dashboard
from evaluation import selectors as sel
from evaluation.exports import appeals_workbook, tables_workbook, workbook_response
from evaluation.figures import FIGURES
from evaluation.ledgers import ledger_tables
from evaluation.project_figures import DEFINITIONS as PROJECT_DEFINITIONS
from evaluation.project_figures import project_rows
from evaluation.ranking import MIN_COUNTED
from linli import clock
from units.models import Unit


def _staff_scope(request) -> Scope:
    scope = Scope.of(request.user)
    if not sel.dashboard_roots(scope):
        raise Http404("统计看板仅对区、街道、社区和网格的工作人员开放")
    return scope


def _period(request) -> tuple[sel.Period, str]:
    raw = request.GET.get("month", "")
    if request.GET.get("start"):
        raw = f"{request.GET['start']}..{request.GET.get('end') or request.GET['start']}"
    try:
        return sel.parse_period(raw), ""
    except ValidationError as exc:
        return sel.parse_period(""), "；".join(m for msgs in exc.message_dict.values() for m in msgs)


def _area(scope: Scope, pk) -> Area:
    area = sel.visible_area(scope, pk)
    if area is None:
        raise Http404("该区域不在您的统计范围内")
    return area


def _crumbs(area: Area, scope: Scope) -> list[Area]:
    """The areas above this one that the user may open (the page's own area is the crumbs' last word)."""
    ancestors = Area.objects.filter(pk__in=area.ancestor_ids()).exclude(pk=area.pk).order_by("depth")
    return [a for a in ancestors if sel.can_view(scope, a)]


@login_required
def index(request):
    scope = Scope.of(request.user)
    roots = sel.dashboard_roots(scope)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    if roots:
        return redirect(f"/evaluation/area/{roots[0].pk}/{query}")
    if scope.unit_ids:  # unit staff: their own unit's figures
        return redirect(f"/evaluation/unit/{min(scope.unit_ids)}/{query}")
    raise Http404("统计看板仅对区、街道、社区、网格的工作人员和承办单位开放")


KINDS: dict[str, str] = {Kind.APPEAL: "诉求", Kind.SERVICE_ORDER: "三库联动服务单"}


def _focus(request, unit: Unit | None = None) -> dashboard.Focus:
    kind = request.GET.get("kind", "")
    return dashboard.Focus(
        unit=unit.pk if unit is not None else None, kind=kind if kind in KINDS else Kind.APPEAL
    )


def _page(request, area: Area, period: sel.Period, focus: dashboard.Focus, **context):
    """The dashboard page of an area (or of one unit's work there), for appeals or service orders."""
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "area": area,
            "period": period,
            "focus": focus,
            "kinds": KINDS,
            "kind_label": KINDS[focus.kind],
            "trend": dashboard.trend_data(area, period, focus),
            "map": dashboard.map_data(area, period, focus),
            "figures": FIGURES,
            "ledgers": ledger_tables(area, *sel._month_bounds(period)) if focus.unit is None else [],
            **dashboard.build(area, period, focus),
            **context,
        },
    )


@login_required
def area_dashboard(request, pk: int):
    scope = _staff_scope(request)
    area = _area(scope, pk)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    focus = _focus(request)
    projects = None
    if focus.kind == Kind.APPEAL:  # the project ledger's figures beside the appeals'
        total, rows = project_rows(area, period, timezone.localdate(clock.now()))
        projects = {"total": total, "rows": rows, "definitions": PROJECT_DEFINITIONS} if rows else None
    return _page(request, area, period, focus, crumbs=_crumbs(area, scope), projects=projects)


@login_required
def area_export(request, pk: int):
    scope = _staff_scope(request)
    area = _area(scope, pk)
    period, _ = _period(request)
    focus = _focus(request)
    title = f"{area.name} {period.label} {KINDS[focus.kind]}评单统计"
    return _export(area, period, focus, title, f"{area.code}-{period.param}")


def _export(area: Area, period: sel.Period, focus: dashboard.Focus, title: str, name: str):
    data = dashboard.build(area, period, focus)
    trend = sel.trend(area, period.end, unit=focus.unit, kind=focus.kind)
    trend_table = dashboard.table("trend", "月度趋势", trend, period, area, "month", False, focus)
    book = tables_workbook(title=title, headline=data["headline"], tables=[*data["tables"], trend_table])
    suffix = "" if focus.kind == Kind.APPEAL else "-service-orders"
    return workbook_response(book, f"figures-{name}{suffix}.xlsx")


def _unit_and_area(request, pk: int) -> tuple[Unit, Area]:
    unit = Unit.objects.filter(pk=pk).first()
    area = sel.unit_dashboard_area(Scope.of(request.user), unit, request.GET.get("area")) if unit else None
    if unit is None or area is None:
        raise Http404("该单位的统计不在您的范围内")
    return unit, area


@login_required
def unit_dashboard(request, pk: int):
    """One unit's work: its figures within an area, where and what it handled, its rank among the units."""
    unit, area = _unit_and_area(request, pk)
    scope = Scope.of(request.user)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    focus = _focus(request, unit)
    rank, ranked = dashboard.unit_standing(area, period, focus)
    area_link = sel.can_view(scope, area)
    crumbs = _crumbs(area, scope) if area_link else []
    return _page(
        request,
        area,
        period,
        focus,
        unit=unit,
        rank=rank,
        ranked_units=ranked,
        crumbs=crumbs,
        area_link=area_link,
        min_counted=MIN_COUNTED,
    )


@login_required
def unit_export(request, pk: int):
    unit, area = _unit_and_area(request, pk)
    period, _ = _period(request)
    focus = _focus(request, unit)
    title = f"{unit.name} {area.name} {period.label} {KINDS[focus.kind]}评单统计"
    return _export(area, period, focus, title, f"{unit.code}-{area.code}-{period.param}")


@login_required
def rankings(request):
    scope = _staff_scope(request)
    area = _area(scope, request.GET.get("area"))
    period, error = _period(request)
    if error:
        messages.error(request, error)
    tables = ranking_tables(area, period)
    if request.GET.get("format") == "xlsx":
        book = tables_workbook(title=f"{area.name} {period.label} 排名", headline=[], tables=tables)
        return workbook_response(book, f"rankings-{area.code}-{period.param}.xlsx")
    return render(
        request,
        "evaluation/rankings.html",
        {"area": area, "period": period, "tables": tables, "roots": sel.dashboard_roots(scope)},
    )


def ranking_tables(area: Area, period: sel.Period) -> list[dashboard.Table]:
    """Subdistricts, communities and units under an area, ranked by the composite score."""
    cells = sel.cells(area, period)
    tables = []
    for kind, by in ((Area.Kind.SUBDISTRICT, "subdistrict"), (Area.Kind.COMMUNITY, "community")):
        nodes = list(Area.objects.filter(kind=kind, path__startswith=area.path).order_by("path"))
        if len(nodes) < 2:
            continue
        data = sel.breakdown(cells, by)
        rows = [sel.Row(n.pk, n.name, data.get(n.pk, sel.Totals())) for n in nodes]
        tables.append(dashboard.table(by, f"{sel.BY_CHOICES[by]}排名", rows, period, area, by))
    tables.append(dashboard.table("units", "承办单位排名", sel.rows_by(cells, "unit"), period, area, "unit"))
    return tables


@login_required
def appeal_export(request):
    """The work queue as Excel, with the same filters as /appeals/ (query string kept by its link)."""
    scope = Scope.of(request.user)
    if not scope.is_staff_like:
        raise Http404("只有工作人员可以导出诉求")
    filters = QueueFilters.from_query(request.GET)
    rows = queue(scope, filters)
    book = appeals_workbook(rows, filters)
    return workbook_response(book, "appeals.xlsx")
