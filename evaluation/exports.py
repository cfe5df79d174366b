"""Excel workbooks: the dashboard and ranking tables, and the appeals queue with its filters applied."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from appeals.models import Appeal
from appeals.selectors import QUEUE_MEASURES, QueueFilters
from spreadsheets.lists import first_sheet, local, sheet_name, workbook_response, write_table

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
    ws["A2"] = f"导出时间 {timezone.localtime():%Y-%m-%d %H:%M}；比率按整数计数计算，显示时取一位小数。"
    if headline:
        rows = [[c.figure.label, c.text, c.detail, c.figure.definition] for c in headline]
        write_table(
            ws, "T_overview", ["指标", "数值", "分子 / 分母", "口径"], rows, [None, None, None, None], 4
        )
        ws.column_dimensions["D"].width = 90
    for i, t in enumerate(tables, start=1):
        sheet = book.create_sheet(sheet_name(book, t.title))
        headers = ["排名", "名称", "受理数", *[f.label for f in t.figures]]
        formats: list[str | None] = ["0", None, "0", *[FORMATS[f.kind] for f in t.figures]]
        rows = [[r.rank, r.label, r.counted, *[_cell_number(c) for c in r.cells]] for r in t.rows]
        write_table(sheet, f"T{i}_{t.key}", headers, rows, formats)
    return book


def _cell_number(cell):
    if cell.number is None:
        return None
    return int(cell.number) if cell.figure.kind == "count" else float(cell.number)


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
    parts = [f"{k}={v}" for k, v in vars(f).items() if v not in (None, "", False) and k != "sort"]
    return "，".join(parts) or "全部"
