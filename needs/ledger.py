"""The registration ledger (双报到台账) as an Excel workbook."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from needs.models import Registration
from needs.selectors import provider_record
from spreadsheets import safe

HEADERS = [
    "报到对象",
    "类型",
    "报到社区",
    "报到时间",
    "状态",
    "供给项目",
    "每月可接单",
    "已接服务单",
    "已办结",
    "服务时长（小时）",
    "满意率",
]


def registrations_workbook(registrations: QuerySet[Registration]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "双报到台账"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
    ws.freeze_panes = "A2"
    for r in registrations.prefetch_related("offers"):
        offers = [o for o in r.offers.all() if o.is_active]
        rec = provider_record(unit_id=r.unit_id, person_id=r.person_id)
        rate = f"{rec['satisfied'] / rec['rated']:.1%}" if rec["rated"] else ""
        ws.append(
            safe.clean_row(
                [
                    r.registrant_name,
                    "单位" if r.unit_id else "在职党员",
                    r.community.name,
                    r.registered_at.strftime("%Y-%m-%d"),
                    r.get_status_display(),
                    "、".join(o.title for o in offers),
                    sum(o.capacity_per_month for o in offers),
                    rec["taken"],
                    rec["closed"],
                    rec["hours"],
                    rate,
                ]
            )
        )
    for column, width in zip("ABCDEFGHIJK", [28, 10, 14, 12, 8, 40, 12, 12, 10, 16, 10], strict=True):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    safe.save(wb, out)
    return out.getvalue()
