"""The monthly report as an Excel workbook: one sheet and one Excel table per section."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluation.exports import FORMATS, _cell_number, first_sheet, write_table
from evaluation.report import ReportContent


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def write_xlsx(content: ReportContent) -> bytes:
    book = Workbook()
    ws = first_sheet(book)
    ws.title = "主要指标"
    ws["A1"] = content.title
    ws["A1"].font = Font(bold=True, size=14)
    rows = [[c.figure.label, _cell_number(c), c.detail, c.figure.definition] for c in content.headline]
    formats: list[str | None] = [None, None, None, None]
    write_table(ws, "T_figures", ["指标", "数值", "分子 / 分母", "口径"], rows, formats, start_row=3)
    for r, c in enumerate(content.headline, start=4):
        ws.cell(row=r, column=2).number_format = FORMATS[c.figure.kind]
    ws.column_dimensions["D"].width = 90
    for i, t in enumerate(content.rankings, start=1):
        sheet = book.create_sheet(t.title[:28])
        headers = ["排名", "名称", "受理数", *[f.label for f in t.figures]]
        fmts = ["0", None, "0", *[FORMATS[f.kind] for f in t.figures]]
        body = [[r.rank, r.label, r.counted, *[_cell_number(c) for c in r.cells]] for r in t.rows]
        write_table(sheet, f"T_rank{i}", headers, body, fmts)
    sheet = book.create_sheet("红黑榜")
    body = [["表现最好", r.rank, r.label, _cell_number(r.cells[0])] for r in content.best_units]
    body += [["有待改进", r.rank, r.label, _cell_number(r.cells[0])] for r in content.worst_units]
    write_table(sheet, "T_best_worst", ["榜单", "排名", "单位", "综合得分"], body, [None, "0", None, "0.0"])
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
        ["提供者", "类型", "接单", "办结", "服务时长（小时）", "满意率"],
        [
            [r["name"], r["kind"], r["taken"], r["closed"], r["hours"], r["satisfaction"]]
            for r in content.providers
        ],
        [None, None, "0", "0", "0.0", None],
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
