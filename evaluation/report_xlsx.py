"""The monthly report as an Excel workbook: one sheet and one Excel table per section."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluation import honours
from evaluation.exports import _cell_number, first_sheet, write_figure_table, write_headline, write_table
from evaluation.ledgers import LedgerTable, Rate
from evaluation.report import ReportContent


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _honour(title: str, rule: str, row) -> list:
    cells = {c.figure.key: c for c in row.cells}
    satisfaction = cells["satisfaction_rate"]
    return [
        title,
        rule,
        row.rank,
        row.label,
        _cell_number(cells["composite"]),
        _cell_number(satisfaction),
        satisfaction.detail,
    ]


def _ledger_sheet(sheet, name: str, table: LedgerTable) -> None:
    """One ledger's table: a rate is a number formatted as a percentage, with its fraction in the next column."""
    rate_columns = {i for row in table.rows for i, c in enumerate(row) if isinstance(c, Rate)}
    headers: list[str] = []
    formats: list[str | None] = []
    for i, column in enumerate(table.columns):
        headers.append(column)
        formats.append("0.0%" if i in rate_columns else None)
        if i in rate_columns:
            headers.append(f"{column}算式")
            formats.append(None)
    body = []
    for row in table.rows:
        cells: list = []
        for i, c in enumerate(row):
            if i in rate_columns:
                value = c.value if isinstance(c, Rate) else None
                cells += [None if value is None else float(value), c.formula if isinstance(c, Rate) else ""]
            else:
                cells.append(c)
        body.append(cells)
    sheet["A1"] = table.title
    sheet["A1"].font = Font(bold=True, size=14)
    write_table(sheet, name, headers, body, formats, start_row=3)
    for offset, definition in enumerate(table.definitions):
        sheet.cell(row=len(body) + 6 + offset, column=1, value=definition)


def write_xlsx(content: ReportContent) -> bytes:
    book = Workbook()
    ws = first_sheet(book)
    ws.title = "主要指标"
    ws["A1"] = content.title
    ws["A1"].font = Font(bold=True, size=14)
    write_headline(ws, "T_figures", content.headline, 3)
    for i, t in enumerate(content.rankings, start=1):
        write_figure_table(book.create_sheet(t.title[:28]), f"T_rank{i}", t)
    sheet = book.create_sheet("红黑榜")
    sheet["A1"] = f"{honours.WHO}。表现最好：{honours.BEST_RULE}。有待改进：{honours.WORST_RULE}。"
    body = [_honour("表现最好", honours.BEST_RULE, r) for r in content.honours.best]
    body += [_honour("有待改进", honours.WORST_RULE, r) for r in content.honours.worst]
    write_table(
        sheet,
        "T_best_worst",
        ["榜单", "评选规则", "排名", "单位", "综合得分", "满意率", "满意率算式"],
        body,
        [None, None, "0", None, "0.0", "0.0%", None],
        start_row=3,
    )
    sheet = book.create_sheet("超时诉求")
    body = [
        [
            a.pk,
            a.title,
            a.community.name,
            a.grid.name if a.grid else "",
            a.unit.name if a.unit else "",
            _local(a.submitted_at),
            "是" if a.contact_overdue else "",
            "是" if a.resolve_overdue else "",
            a.get_status_display(),
        ]
        for a in content.overdue
    ]
    headers = ["编号", "诉求", "社区", "网格", "承办单位", "提交时间", "联系超时", "办结超时", "状态"]
    write_table(
        sheet, "T_overdue", headers, body, ["0", None, None, None, None, "yyyy-mm-dd hh:mm", None, None, None]
    )
    sheet = book.create_sheet("居民评价")
    body = [
        [
            a.public_name,
            a.get_satisfaction_display(),
            "是" if a.resolved else "否",
            a.unit.name if a.unit else "",
            _local(a.rated_at),
            a.rating_comment,
        ]
        for a in content.comments
    ]
    write_table(
        sheet,
        "T_comments",
        ["居民", "满意度", "已解决", "承办单位", "评价时间", "意见"],
        body,
        [None, None, None, None, "yyyy-mm-dd hh:mm", None],
    )
    sheet = book.create_sheet("服务单提供者")
    write_table(
        sheet,
        "T_providers",
        ["提供者", "类型", "接单", "办结", "服务时长（小时）", "满意率", "满意率算式"],
        [
            [
                r["name"],
                r["kind"],
                r["taken"],
                r["closed"],
                r["hours"],
                None if r["satisfaction_exact"] is None else float(r["satisfaction_exact"]),
                r["satisfaction_formula"],
            ]
            for r in content.providers
        ],
        [None, None, "0", "0", "0.0", "0.0%", None],
    )
    for i, table in enumerate(content.ledgers, start=1):
        _ledger_sheet(book.create_sheet(table.title[:28]), f"T_ledger{i}", table)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
