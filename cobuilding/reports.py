"""共建年度报告: one unit's year in every community it co-builds with, as a PDF (reportlab, the report's CJK font).

What it pledged comes from its agreements; what it did is counted from the platform's records
(``cobuilding.selectors.work_of``), with the rule for each count printed on the page.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from access.scope import Scope
from cobuilding.scope import agreements
from cobuilding.selectors import UnitYear, unit_year
from evaluation.pdf import _styles, _table, register_font
from linli import clock
from units.models import Unit

RULES = [
    "认领项目：本年度内以本单位名义认领的该社区项目（项目库）。完成项目：本年度内完成的、本单位认领的项目。",
    "服务单：本年度内本单位完成（报告完成）的该社区服务单（三库联动）；服务时长为这些服务单登记的服务分钟数合计。",
    "诉求：本年度内本单位完成的、派给本单位的该社区诉求。",
]


def report_pdf(unit: Unit, year: int, rows: list[UnitYear]) -> bytes:
    font = register_font()
    st = _styles(font)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm, bottomMargin=16 * mm
    )
    story: list = [
        Paragraph(escape(f"{unit.name} {year} 年度共建报告"), st["title"]),
        Paragraph(escape(f"生成于 {clock.now():%Y-%m-%d %H:%M} · 共建社区 {len(rows)} 个"), st["small"]),
        Spacer(1, 4 * mm),
    ]
    head = [
        "社区",
        "协议",
        "承诺资金(元)",
        "承诺人数",
        "承诺时长(小时/年)",
        "认领项目",
        "完成项目",
        "服务单",
        "服务时长(小时)",
        "诉求",
    ]
    body: list[list] = [[Paragraph(h, st["cell"]) for h in head]]
    for r in rows:
        w = r.work
        body.append(
            [
                Paragraph(escape(r.agreement.community.name), st["cell"]),
                Paragraph(
                    escape(f"{r.agreement.title}（{r.agreement.starts_on}～{r.agreement.ends_on}）"),
                    st["cell"],
                ),
                f"{r.money_fen / 100:.2f}",
                r.people,
                r.hours_pledged,
                w.projects_claimed,
                w.projects_done,
                w.orders_done,
                w.service_hours,
                w.appeals_done,
            ]
        )
    if len(body) == 1:
        body.append([Paragraph("本年度没有生效的共建协议", st["cell"]), *[""] * 9])
    widths = [22 * mm, 40 * mm, 16 * mm, 12 * mm, 16 * mm, 13 * mm, 13 * mm, 12 * mm, 16 * mm, 12 * mm]
    story.append(_table(body, widths, font))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("承诺内容", st["h2"]))
    for r in rows:
        for p in r.agreement.pledges.all():
            story.append(
                Paragraph(
                    escape(f"{r.agreement.community.name} · {p.get_kind_display()}：{p.description}"),
                    st["body"],
                )
            )
    story.append(Paragraph("统计口径", st["h2"]))
    story.extend(Paragraph(escape(rule), st["small"]) for rule in RULES)
    doc.build(story)
    return buffer.getvalue()


@login_required
def unit_report_pdf(request, pk: int, year: int):
    scope = Scope.of(request.user)
    unit = get_object_or_404(scope.units(), pk=pk)
    if not 2000 <= year <= 2100:
        raise Http404
    rows = unit_year(agreements(scope), unit, year)
    response = HttpResponse(report_pdf(unit, year, rows), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cobuilding-{unit.code}-{year}.pdf"'
    return response
