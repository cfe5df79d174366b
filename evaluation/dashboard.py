"""Everything one dashboard shows, assembled from the cube (no appeal row is read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from appeals.models import Kind
from areas.models import Area
from evaluation import ranking
from evaluation import selectors as sel
from evaluation.drill import SHORTFALLS, Drill, shortfall
from evaluation.figures import FIGURES, FIGURES_BY_KEY, Figure, Totals, as_number

TABLE_FIGURES = (
    "composite",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "closure_rate",
    "on_time_rate",
    "reopen_rate",
    "overdue",
    "close_median",
)


@dataclass
class Cell:
    figure: Figure
    text: str
    url: str = ""
    detail: str = ""  # the fraction a rate is computed from ("40 ÷ 42"), or how a score is weighed
    number: Decimal | int | None = None  # for the API: rates as fractions (4 places), hours, scores, counts
    exact: Fraction | int | None = None  # for spreadsheets: the value itself, so Excel rounds it only once
    short_label: str = ""  # a rate's shortfall: "未按时响应 12 件", linked to those appeals
    short_url: str = ""


@dataclass
class TableRow:
    label: str
    counted: int
    counted_url: str
    cells: list[Cell]
    rank: int | None = None
    url: str = ""  # the row's own dashboard (areas)
    key: Any = None
    totals: Totals | None = None


@dataclass
class Table:
    key: str
    title: str
    rows: list[TableRow] = field(default_factory=list)  # ranked first (a ranking), or every row (a breakdown)
    figures: list[Figure] = field(default_factory=lambda: [FIGURES_BY_KEY[k] for k in TABLE_FIGURES])
    apart: list[ranking.Apart] = field(default_factory=list)  # not ranked, each group under its reason
    rule: str = ""  # how the table is ranked, written beside it

    @property
    def all_rows(self) -> list[TableRow]:
        return [*self.rows, *(r for group in self.apart for r in group.rows)]


@dataclass(frozen=True)
class Focus:
    """What a dashboard counts: appeals or 三库联动 service orders, of every unit or of one unit's work."""

    unit: int | None = None
    kind: str = Kind.APPEAL

    def cells(self, area: Area, period: sel.Period) -> sel.Cells:
        return sel.cells(area, period, unit=self.unit, kind=self.kind)

    def drill(self, **slice_: Any) -> Drill:
        slice_.setdefault("unit", self.unit)
        return Drill(kind=self.kind, **slice_)

    @property
    def query(self) -> str:
        """What a link to another dashboard adds to stay on the same kind."""
        return "" if self.kind == Kind.APPEAL else f"&kind={self.kind}"


EVERYTHING = Focus()


def cell(figure: Figure, totals: Totals, drill: Drill, shortfalls: bool = False) -> Cell:
    url = drill.url(figure.numerator) if figure.numerator else ""
    value = totals.value(figure.key)
    out = Cell(
        figure, totals.display(figure.key), url, totals.formula(figure.key), as_number(figure, value), value
    )
    missed = shortfall(figure.key, totals) if shortfalls else None
    if missed:
        out.short_label = f"{SHORTFALLS[figure.key][0]} {missed} 件"
        out.short_url = drill.url(f"short_{figure.key}")
    return out


def headline(area: Area, period: sel.Period, totals: Totals, focus: Focus = EVERYTHING) -> list[Cell]:
    drill = focus.drill(months=period.months, area=area.pk)
    return [cell(f, totals, drill, shortfalls=True) for f in FIGURES]


def table(
    key: str,
    title: str,
    rows: list[sel.Row],
    period: sel.Period,
    area: Area,
    by: str,
    rank: bool = True,
    focus: Focus = EVERYTHING,
) -> Table:
    out = Table(key, title)
    groups: list[ranking.Apart] = []
    if rank:
        rows, groups = ranking.split(rows, by, focus.kind)
        out.rule = ranking.RULE
    out.rows = [_table_row(r, period, area, by, focus) for r in rows]
    out.apart = [
        ranking.Apart(g.reason, [_table_row(r, period, area, by, focus) for r in g.rows]) for g in groups
    ]
    return out


def _table_row(r: sel.Row, period: sel.Period, area: Area, by: str, focus: Focus) -> TableRow:
    drill: dict = {"months": period.months, "area": area.pk}
    if by in ("subdistrict", "community", "grid") and r.key:
        drill["area"] = r.key
    elif by == "unit":
        drill["unit"] = r.key or None
    elif by == "category":
        drill["category"] = r.key or None
    elif by == "channel":
        drill["channel"] = r.key
    elif by == "month":
        drill["months"] = (r.key, r.key)
    links = focus.drill(**drill)
    return TableRow(
        label=r.label,
        counted=r.totals["counted"],
        counted_url=links.url("counted"),
        cells=[cell(FIGURES_BY_KEY[k], r.totals, links) for k in TABLE_FIGURES],
        rank=r.rank,
        key=r.key,
        url=_row_url(by, r.key, period, area, focus),
        totals=r.totals,
    )


def _row_url(by: str, key: Any, period: sel.Period, area: Area, focus: Focus) -> str:
    """A row's own dashboard: an area's (of this unit, on a unit's dashboard), or a unit's within the area."""
    if not key:
        return ""
    if by in ("subdistrict", "community", "grid"):
        if focus.unit:
            return f"/evaluation/unit/{focus.unit}/?area={key}&month={period.param}{focus.query}"
        return f"/evaluation/area/{key}/?month={period.param}{focus.query}"
    if by == "unit":
        return f"/evaluation/unit/{key}/?area={area.pk}&month={period.param}{focus.query}"
    return ""


def area_rows(area: Area, period: sel.Period, focus: Focus = EVERYTHING) -> tuple[str, list[sel.Row]]:
    """The children of an area (every child listed, with or without appeals)."""
    by = sel.CHILD_BY.get(area.kind)
    if by is None:
        return "", []
    data = sel.breakdown(focus.cells(area, period), by)
    rows = [sel.Row(c.pk, c.name, data.get(c.pk, Totals())) for c in sel.child_areas(area)]
    if data.get(0):
        rows.append(sel.Row(0, sel.NONE_LABELS["grid"], data[0]))
    return by, rows


def build(area: Area, period: sel.Period, focus: Focus = EVERYTHING) -> dict[str, Any]:
    """The figures of an area, or of one unit's work within the area."""
    cells = focus.cells(area, period)
    totals = sel.totals(cells)
    child_by, children = area_rows(area, period, focus)
    tables = []
    if child_by:
        title = f"各{sel.BY_CHOICES[child_by]}排名"
        tables.append(table("children", title, children, period, area, child_by, focus=focus))
    if focus.unit is None:
        units = sel.rows_by(cells, "unit")
        tables.append(table("units", "承办单位排名", units, period, area, "unit", focus=focus))
    for key, title, by in (("categories", "类别分布", "category"), ("channels", "渠道分布", "channel")):
        tables.append(table(key, title, sel.rows_by(cells, by), period, area, by, False, focus))
    return {"totals": totals, "headline": headline(area, period, totals, focus), "tables": tables}


def unit_standing(area: Area, period: sel.Period, focus: Focus) -> tuple[int | None, int]:
    """A unit's rank by the composite score among the units that handled appeals in the area, and how many."""
    every_unit = Focus(kind=focus.kind).cells(area, period)
    ranked, _ = ranking.split(sel.rows_by(every_unit, "unit"), "unit", focus.kind)
    mine = next((r.rank for r in ranked if r.key == focus.unit), None)
    return mine, len(ranked)


def trend_data(area: Area, period: sel.Period, focus: Focus = EVERYTHING) -> dict[str, Any]:
    rows = sel.trend(area, period.end, unit=focus.unit, kind=focus.kind)
    keys = ("composite", "response_rate", "resolution_rate", "satisfaction_rate", "closure_rate")

    def num(f: str, t: Totals):
        v = as_number(FIGURES_BY_KEY[f], t.value(f))
        if v is None:
            return None
        return float(v * 100) if FIGURES_BY_KEY[f].kind == "rate" else float(v)

    return {
        "months": [r.label for r in rows],
        "counted": [r.totals["counted"] for r in rows],
        "series": [
            {"key": k, "name": FIGURES_BY_KEY[k].label, "data": [num(k, r.totals) for r in rows]}
            for k in keys
        ],
    }


MAP_FIGURES = (
    "composite",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "closure_rate",
    "on_time_rate",
    "overdue",
    "counted",
)


def map_data(area: Area, period: sel.Period, focus: Focus = EVERYTHING) -> dict[str, Any] | None:
    grids = list(
        Area.objects.filter(kind=Area.Kind.GRID, path__startswith=area.path, shape__isnull=False).order_by(
            "path"
        )
    )
    if not grids:
        return None
    data = sel.breakdown(focus.cells(area, period), "grid")
    features, values = [], {}
    for g in grids:
        geometry = g.shape.get("geometry", g.shape) if isinstance(g.shape, dict) else None
        if not geometry:
            continue
        features.append({"type": "Feature", "properties": {"name": str(g.pk)}, "geometry": geometry})
        t = data.get(g.pk, Totals())
        values[str(g.pk)] = {
            "label": g.name,
            "url": _row_url("grid", g.pk, period, area, focus),
            **{k: _plain(FIGURES_BY_KEY[k], t) for k in MAP_FIGURES},
        }
    return {
        "geojson": {"type": "FeatureCollection", "features": features},
        "values": values,
        "figures": [
            {"key": k, "label": FIGURES_BY_KEY[k].label, "better": FIGURES_BY_KEY[k].higher_is_better}
            for k in MAP_FIGURES
        ],
    }


def _plain(figure: Figure, totals: Totals):
    v = as_number(figure, totals.value(figure.key))
    if v is None:
        return None
    return float(v * 100) if figure.kind == "rate" else float(v)
