"""Reads of the figures, always within the user's scope, always from the cube (never a recount of appeals).

Area staff (grid worker and leader, community and subdistrict staff, district leadership) see the figures of
the subtree where they hold the role; the administrator sees every district. Everyone else sees only the
public page of their community (``evaluation.public``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from access.scope import AREA_STAFF_ROLES, Scope
from appeals.models import Channel, Kind
from areas.models import Area
from categories.models import Category
from evaluation.facts import month_of
from evaluation.figures import FIGURES_BY_KEY, Totals
from evaluation.models import CLOSE_BUCKETS, CONTACT_BUCKETS, MEASURES, FigureCube, FigureDelta, grain_for
from linli import clock
from units.models import Unit

COLUMNS = (*MEASURES, *CONTACT_BUCKETS, *CLOSE_BUCKETS)
BY_CHOICES = {
    "subdistrict": "街道",
    "community": "社区",
    "grid": "网格",
    "unit": "承办单位",
    "category": "类别",
    "channel": "渠道",
    "month": "月份",
}
CHILD_BY: dict[str, str] = {
    Area.Kind.DISTRICT: "subdistrict",
    Area.Kind.SUBDISTRICT: "community",
    Area.Kind.COMMUNITY: "grid",
    Area.Kind.ZONE: "grid",
}
MIN_COUNTED_TO_RANK = 5  # units with fewer counted appeals in the period are listed but not ranked best/worst


# ---- periods ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    start: date  # first days of months, inclusive
    end: date

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{self.start:%Y年%m月}"
        return f"{self.start:%Y年%m月}至{self.end:%Y年%m月}"

    @property
    def param(self) -> str:
        return f"{self.start:%Y-%m}" if self.start == self.end else f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    @property
    def months(self) -> tuple[date, date]:
        return self.start, self.end

    @property
    def is_last_full_month(self) -> bool:
        """The month a dashboard opens on by default."""
        return self.start == self.end == last_full_month()

    @property
    def today(self) -> date:
        """The day the figures are read on (the current month's figures run to it)."""
        return timezone.localdate(clock.now())

    @property
    def reaches_current_month(self) -> bool:
        """The period ends in the month under way: its figures are still moving."""
        return self.end >= current_month()


def current_month() -> date:
    return month_of(clock.now())


def last_full_month() -> date:
    return add_months(current_month(), -1)


def _month_bounds(period: Period) -> tuple[datetime, datetime]:
    """The aware datetimes [start, end) of a period of months (local time)."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(add_months(period.end, 1), time.min))
    return start, end


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _month(text: str) -> date:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise ValidationError({"month": f"月份格式应为 YYYY-MM（如 2025-03），收到“{text[:20]}”"}) from exc


def parse_period(text: str | None) -> Period:
    """``YYYY-MM`` or ``YYYY-MM..YYYY-MM``; empty means the last full month (on the 2nd of a month the month
    under way has two days of work in it: not what anyone opening the figures wants to read)."""
    if not text:
        previous = last_full_month()
        return Period(previous, previous)
    first, _, last = text.partition("..")
    start, end = _month(first), _month(last or first)
    if end < start:
        raise ValidationError({"month": "结束月份不能早于开始月份"})
    if (end.year - start.year) * 12 + end.month - start.month > 60:
        raise ValidationError({"month": "时间段最长 5 年"})
    return Period(start, end)


# ---- scope --------------------------------------------------------------------------------------------------
def dashboard_roots(scope: Scope) -> list[Area]:
    """The top nodes whose dashboards this user may see (nested nodes folded into their ancestors)."""
    if scope.is_admin:
        return list(Area.objects.filter(parent__isnull=True).order_by("path"))
    nodes = sorted({n.pk: n for n in scope.nodes(AREA_STAFF_ROLES)}.values(), key=lambda n: n.path)
    roots: list[Area] = []
    for node in nodes:
        if not any(node.path.startswith(r.path) for r in roots):
            roots.append(node)
    return roots


def unit_dashboard_area(scope: Scope, unit: Unit, area_id: int | str | None) -> Area | None:
    """The area within which this user may see a unit's figures (None: not allowed, or no such area).

    The unit's own staff see their unit's work anywhere (by default across the whole district of its home);
    area staff see any unit's work within the areas whose dashboards they may see."""
    own = scope.is_admin or unit.pk in scope.unit_ids
    if area_id in (None, ""):
        if own:
            home = unit.home_area
            top = home.ancestor_ids()[0] if home is not None else None
            return Area.objects.filter(pk=top).first() if top else Area.objects.filter(parent=None).first()
        roots = dashboard_roots(scope)
        return roots[0] if roots else None
    key = str(area_id)
    area = (
        Area.objects.filter(pk=int(key)).first() if key.isdigit() else Area.objects.filter(code=key).first()
    )
    if area is None or not (own or can_view(scope, area)):
        return None
    return area


def can_view(scope: Scope, area: Area) -> bool:
    return any(area.path.startswith(r.path) for r in dashboard_roots(scope))


def visible_area(scope: Scope, area_id: int | str | None) -> Area | None:
    """The area by id or code if the user may see its figures (None otherwise, or when not found)."""
    if area_id in (None, ""):
        roots = dashboard_roots(scope)
        return roots[0] if roots else None
    key = str(area_id)
    area = (
        Area.objects.filter(pk=int(key)).first() if key.isdigit() else Area.objects.filter(code=key).first()
    )
    return area if area is not None and can_view(scope, area) else None


# ---- the cube -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cells:
    """The cube cells of an area and a period, optionally of one unit, category or channel.

    Reads pick the coarsest grain that keeps the dimensions they filter or break down by (``grain_for``),
    so the district dashboard sums a few hundred rows a month, not every unit × category × channel cell.
    """

    area: Area
    period: Period
    unit: int | None = None
    category: int | None = None
    channel: str = ""
    kind: str = Kind.APPEAL  # or Kind.SERVICE_ORDER: 三库联动 service orders, counted the same way, apart

    def sums(self, by: str | None = None, columns: tuple[str, ...] = COLUMNS) -> list[dict]:
        """The sum of each column over the cells, grouped by ``by`` (one row per key) or not (one row).

        One plain SQL statement from our own column names: building sixty aggregate expressions through the
        ORM for every table of a dashboard cost more than the database's own work."""
        dimensions: set[str] = {by} if by in ("unit", "category", "channel") else set()
        ops, quote = connection.ops, connection.ops.quote_name
        where = ["kind = %s", "month >= %s", "month <= %s", "area_path LIKE %s"]
        params: list = [
            self.kind,
            ops.adapt_datefield_value(self.period.start),
            ops.adapt_datefield_value(self.period.end),
            self.area.path + "%",  # paths hold only digits and slashes: nothing to escape
        ]
        for dimension, value in (("unit", self.unit), ("category", self.category), ("channel", self.channel)):
            if value is not None and value != "":
                where.append(f"{dimension} = %s")
                params.append(value)
                dimensions.add(dimension)
        # The cube at the grain, plus the deltas the fold job has not added yet (full grain: the same filters
        # apply to their own columns), in ONE statement: one snapshot, so a fold committing meanwhile is seen
        # either wholly before or wholly after, never twice nor not at all.
        group = [quote(by)] if by else []
        inner = ", ".join([*group, *(quote(c) for c in columns)])
        cube, deltas = quote(FigureCube._meta.db_table), quote(FigureDelta._meta.db_table)
        union = (
            f"SELECT {inner} FROM {cube} WHERE grain = %s AND {' AND '.join(where)}"
            f" UNION ALL SELECT {inner} FROM {deltas} WHERE {' AND '.join(where)}"
        )
        params = [grain_for(dimensions), *params, *params]
        select = ", ".join([*group, *(f"SUM({quote(c)})" for c in columns)])
        sql = f"SELECT {select} FROM ({union}) cells"
        if group:
            sql += f" GROUP BY {group[0]}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        names = [*([by] if by else []), *columns]
        rows = [dict(zip(names, row, strict=True)) for row in fetched]
        if by == "month":  # SQLite hands dates back as text
            for row in rows:
                if isinstance(row["month"], str):
                    row["month"] = date.fromisoformat(row["month"])
        return rows


def cells(
    area: Area,
    period: Period,
    *,
    unit: int | None = None,
    category: int | None = None,
    channel: str = "",
    kind: str = Kind.APPEAL,
) -> Cells:
    return Cells(area, period, unit, category, channel, kind)


def totals(cube: Cells) -> Totals:
    return Totals.from_row(cube.sums()[0])


def breakdown(cube: Cells, by: str, columns: tuple[str, ...] = COLUMNS) -> dict:
    if by not in BY_CHOICES:
        raise ValidationError({"by": f"by 只能是：{'、'.join(BY_CHOICES)}"})
    rows = cube.sums(by, columns)
    # Every appeal adds 1 to exactly one of counted / merged / withdrawn; cells emptied by moves drop out.
    return {
        row[by]: Totals.from_row(row) for row in rows if row["counted"] or row["merged"] or row["withdrawn"]
    }


def labels(by: str, keys) -> dict:
    keys = [k for k in keys if k]
    if by in ("subdistrict", "community", "grid"):
        return dict(Area.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "unit":
        return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "category":
        return dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "channel":
        return {k: str(Channel(k).label) if k in Channel.values else k for k in keys}
    if by == "month":
        return {k: f"{k:%Y-%m}" for k in keys}
    return {}


NONE_LABELS = {"grid": "未落到网格", "unit": "无单一承办单位（直接答复、吹哨或待派）", "category": "未分类"}


@dataclass
class Row:
    key: object
    label: str
    totals: Totals
    rank: int | None = None


def rows_by(cube: Cells, by: str) -> list[Row]:
    data = breakdown(cube, by)
    names = labels(by, data.keys())
    none = NONE_LABELS.get(by, "")
    if by == "unit" and cube.kind == Kind.SERVICE_ORDER:
        none = "在职党员个人承接"  # a service order without a unit is served by a party member in person
    rows = [Row(k, names.get(k) or none or str(k), t) for k, t in data.items()]
    return sorted(rows, key=lambda r: str(r.key) if by in ("month",) else r.label)


def ranked(rows: list[Row], figure: str = "composite", min_counted: int = 0) -> list[Row]:
    """Rows ordered best first by a figure (rows without a value last); ranks 1, 2, 2, 4 on exact ties."""
    better = FIGURES_BY_KEY[figure].higher_is_better

    def key(row: Row):
        value = row.totals.value(figure)
        if value is None or row.totals["counted"] < min_counted:
            return (1, Fraction(0), row.label)
        v = Fraction(value)
        return (0, -v if better else v, row.label)

    ordered = sorted(rows, key=key)
    previous = None
    for i, row in enumerate(ordered, start=1):
        value = row.totals.value(figure)
        if value is None or row.totals["counted"] < min_counted:
            row.rank = None
            continue
        row.rank = previous.rank if previous is not None and previous.totals.value(figure) == value else i
        previous = row
    return ordered


def trend(
    area: Area, end: date, months: int = 12, unit: int | None = None, kind: str = Kind.APPEAL
) -> list[Row]:
    period = Period(add_months(end, -(months - 1)), end)
    data = breakdown(cells(area, period, unit=unit, kind=kind), "month", MEASURES)
    out = []
    for i in range(months):
        m = add_months(period.start, i)
        out.append(Row(m, f"{m:%Y-%m}", data.get(m, Totals())))
    return out


def child_areas(area: Area) -> list[Area]:
    by = CHILD_BY.get(area.kind)
    if by is None:
        return []
    return list(Area.objects.filter(kind=by, path__startswith=area.path).exclude(pk=area.pk).order_by("path"))
