"""Excel workbooks: the dashboard and ranking tables, and the appeals queue with its filters applied."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from appeals.models import Appeal, Channel, Kind, Status
from appeals.selectors import QUEUE_MEASURES, WHISTLE_FILTERS, QueueFilters
from areas.models import Area
from categories.models import Category
from spreadsheets.lists import first_sheet, local, sheet_name, workbook_response, write_table
from units.models import Unit

__all__ = ["appeals_workbook", "first_sheet", "tables_workbook", "workbook_response", "write_table"]

FORMATS = {"rate": "0.0%", "score": "0.0", "hours": "0.0", "count": "0"}
MAX_ROWS = 100_000


def tables_workbook(*, title: str, headline, tables) -> Workbook:
    """A sheet of headline figures with their definitions, then one sheet (one Excel table) per table."""
    book = Workbook()
    ws = first_sheet(book)
    ws.title = "总览"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"导出时间 {timezone.localtime():%Y-%m-%d %H:%M}；比率按整数计数计算，算式列写出它的分子和分母。"
    )
    if headline:
        write_headline(ws, "T_overview", headline, 4)
    for i, t in enumerate(tables, start=1):
        write_figure_table(book.create_sheet(sheet_name(book, t.title)), f"T{i}_{t.key}", t)
    return book


def write_headline(ws, name: str, headline, start_row: int) -> None:
    """The headline figures: each with its value (formatted as shown), its fraction, and its definition."""
    rows = [[c.figure.label, _cell_number(c), c.detail, c.figure.definition] for c in headline]
    write_table(ws, name, ["指标", "数值", "算式", "口径"], rows, [None, None, None, None], start_row)
    for r, c in enumerate(headline, start=start_row + 1):
        ws.cell(row=r, column=2).number_format = FORMATS[c.figure.kind]
    ws.column_dimensions["C"].width = 24
    ws.column_dimensions["D"].width = 90


def write_figure_table(sheet, name: str, t) -> None:
    """A table of figures as one Excel table: each rate beside its fraction; a ranking's rule above it, and
    the rows it leaves out after the ranked ones, each with the reason."""
    start = 1
    if t.rule:
        sheet["A1"] = t.rule
        start = 3
    headers, formats = ["排名", "名称", "受理数"], ["0", None, "0"]
    for f in t.figures:
        headers.append(f.label)
        formats.append(FORMATS[f.kind])
        if f.kind == "rate":
            headers.append(f"{f.label}算式")
            formats.append(None)
    if t.rule:
        headers.append("不参与排名的原因")
        formats.append(None)
    body = [_figure_row(r, t, "") for r in t.rows]
    body += [_figure_row(r, t, g.reason) for g in t.apart for r in g.rows]
    write_table(sheet, name, headers, body, formats, start)


def _figure_row(r, t, reason: str) -> list:
    out = [r.rank, r.label, r.counted]
    for c in r.cells:
        out.append(_cell_number(c))
        if c.figure.kind == "rate":
            out.append(c.detail)
    return [*out, reason] if t.rule else out


def _cell_number(cell):
    """The value itself (a rate as the exact fraction's float): Excel's format rounds it once, as the page."""
    if cell.exact is None:
        return None
    if cell.figure.kind == "count":
        return int(cell.exact)
    if cell.figure.kind == "hours":
        return float(cell.number)
    return float(cell.exact)


APPEAL_HEADERS = [
    "编号",
    "标题",
    "状态",
    "类别",
    "社区",
    "网格",
    "承办单位",
    "渠道",
    "提交时间",
    "首次联系",
    "办结时间",
    "联系超时",
    "办结超时",
    "重办次数",
    "满意度",
    "评价意见",
]


def appeals_workbook(appeals, filters: QueueFilters) -> Workbook:
    book = Workbook()
    ws = first_sheet(book)
    ws.title = "诉求"
    rows = (
        [
            a.pk,
            a.title,
            a.get_status_display(),
            str(a.category) if a.category else "",
            a.community.name,
            a.grid.name if a.grid else "",
            a.unit.name if a.unit else "",
            a.get_channel_display(),
            local(a.submitted_at),
            local(a.contacted_at),
            local(a.completed_at),
            "是" if a.contact_overdue else "",
            "是" if a.resolve_overdue else "",
            a.reopen_count,
            a.get_satisfaction_display() if a.satisfaction else "",
            a.rating_comment,
        ]
        for a in appeals.iterator(chunk_size=2000)
        if isinstance(a, Appeal)
    )
    formats: list[str | None] = [None] * len(APPEAL_HEADERS)
    for col in (8, 9, 10):
        formats[col] = "yyyy-mm-dd hh:mm"
    next_row = write_table(ws, "T_appeals", APPEAL_HEADERS, _limit(rows), formats)
    label = QUEUE_MEASURES.get(filters.measure, ("",))[0]
    ws.cell(row=next_row, column=1, value=f"筛选：{_describe(filters)}{'；' + label if label else ''}")
    return book


def _limit(rows):
    for i, row in enumerate(rows):
        if i >= MAX_ROWS:
            return
        yield row


def _describe(f: QueueFilters) -> str:
    """The filters in the user's words ("状态：已办结，社区：松园社区，提交月份：2025-03 至 2025-05")."""
    parts: list[str] = []
    if f.status == "open":
        parts.append("状态：在办")
    elif f.status in Status.values:
        parts.append(f"状态：{Status(f.status).label}")
    if f.kind in Kind.values:
        parts.append(f"类型：{Kind(f.kind).label}")
    names = (
        ("区域", f.area, Area),
        ("社区", f.community, Area),
        ("网格", f.grid, Area),
        ("承办单位", f.unit, Unit),
        ("类别", f.category, Category),
    )
    for label, pk, model in names:
        if pk:
            name = model.objects.filter(pk=pk).values_list("name", flat=True).first()
            parts.append(f"{label}：{name or '（已不存在）'}")
    if f.channel in Channel.values:
        parts.append(f"渠道：{Channel(f.channel).label}")
    if f.month_from or f.month_to:
        start = f"{f.month_from:%Y-%m}" if f.month_from else "最早"
        end = f"{f.month_to:%Y-%m}" if f.month_to else "现在"
        parts.append(f"提交月份：{start} 至 {end}")
    if f.overdue:
        parts.append("只看超时")
    if f.whistle in WHISTLE_FILTERS:
        parts.append(f"吹哨：{WHISTLE_FILTERS[f.whistle]}")
    if f.q:
        parts.append(f"关键词：{f.q}")
    return "，".join(parts) or "全部"
