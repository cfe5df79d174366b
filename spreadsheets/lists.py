"""Excel exports of the product's lists: each list page offers its rows, with its filters applied, as a workbook
holding one Excel table (filterable, striped), a title, when it was exported and which filters were used.

``list_response`` is what a list view returns for ``?format=xlsx``; ``write_table`` and friends are shared with
the other workbooks (figures, the monthly report).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XlTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from spreadsheets import safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
MAX_LIST_ROWS = 100_000
DATETIME = "yyyy-mm-dd hh:mm"


def first_sheet(book: Workbook) -> Worksheet:
    ws = book.active
    assert isinstance(ws, Worksheet)
    return ws


def workbook_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    safe.save(book, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def sheet_name(book: Workbook, title: str) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in the book."""
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "表"
    base, n = name, 2
    while name in book.sheetnames:
        name, n = f"{base}{n}", n + 1
    return name


def write_table(
    ws: Worksheet,
    name: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None],
    start_row: int = 1,
) -> int:
    """One header row and its rows as an Excel table (filterable, striped). Returns the next free row."""
    for col, header in enumerate(headers, start=1):
        c = ws.cell(row=start_row, column=col, value=safe.clean(header))
        c.font, c.fill, c.alignment = (
            Font(bold=True),
            HEADER_FILL,
            Alignment(wrap_text=True, vertical="center"),
        )
    r = start_row
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=col, value=safe.clean(value))
            if formats[col - 1]:
                c.number_format = formats[col - 1]
    if r == start_row:  # an Excel table needs at least one data row
        ws.cell(row=start_row + 1, column=1, value="（无数据）")
        r = start_row + 1
    ref = f"A{start_row}:{get_column_letter(len(headers))}{r}"
    table = XlTable(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for col, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(header) * 2 + 4))
    ws.freeze_panes = f"A{start_row + 1}"
    return r + 2


def local(moment: datetime | None) -> datetime | None:
    """A moment as local wall time without a zone (Excel has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def list_response(
    *,
    title: str,
    filename: str,
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    filters: dict[str, str] | None = None,
    formats: Sequence[str | None] | None = None,
) -> HttpResponse:
    """A list page's rows as a workbook: title and export time, the filters in words, then the table."""
    book = Workbook()
    ws = first_sheet(book)
    ws.title = sheet_name(book, title)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    used = "；".join(f"{k}：{v}" for k, v in (filters or {}).items() if v) or "无（全部可见的记录）"
    ws["A2"] = f"导出时间 {timezone.localtime():%Y-%m-%d %H:%M}；筛选条件 {used}"

    def limited():
        for i, row in enumerate(rows):
            if i >= MAX_LIST_ROWS:
                return
            yield row

    write_table(ws, "T_list", headers, limited(), formats or [None] * len(headers), start_row=4)
    return workbook_response(book, filename)


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"
