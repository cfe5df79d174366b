"""聘书: the appointment letter of a 楼长, 单元长 or 中心户长, as a one-page PDF in the report's CJK font."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from access.scope import Scope
from areas.models import Area
from estates.models import Steward
from estates.selectors import stewards
from evaluation.pdf import register_font


def letter_pdf(steward: Steward) -> bytes:
    font = register_font()
    title = ParagraphStyle("t", fontName=font, fontSize=28, leading=40, alignment=1, textColor="#c62f2f")
    body = ParagraphStyle("b", fontName=font, fontSize=15, leading=26, wordWrap="CJK", firstLineIndent=30)
    right = ParagraphStyle("r", fontName=font, fontSize=13, leading=22, alignment=2)
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=12, textColor="#5f6b76")
    community = steward.building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    where = steward.building.name + (f"{steward.entrance}" if steward.entrance else "")
    covered = steward.households.count()
    text = (
        f"兹聘任 <b>{escape(steward.person.name)}</b> 同志为{escape(where)}{escape(steward.get_post_display())}"
        + (f"，联系 {covered} 户居民" if covered else "")
        + f"，任期自 {steward.appointed_on:%Y年%m月%d日} 至 {steward.term_ends_on:%Y年%m月%d日}。"
    )
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A5), leftMargin=20 * mm, rightMargin=20 * mm, topMargin=16 * mm
    )
    doc.build(
        [
            Paragraph("聘　书", title),
            Spacer(1, 8 * mm),
            Paragraph(text, body),
            Paragraph("望热心服务邻里，及时收集和反映居民诉求，协助做好楼院治理工作。", body),
            Spacer(1, 10 * mm),
            Paragraph(
                escape(
                    f"{community.name if community else ''}党委　{community.name if community else ''}居民委员会"
                ),
                right,
            ),
            Paragraph(f"{steward.appointed_on:%Y年%m月%d日}", right),
            Spacer(1, 6 * mm),
            Paragraph(escape(f"聘书编号 {steward.letter_no}"), small),
        ]
    )
    return buffer.getvalue()


@login_required
def letter(request, pk: int):
    steward = get_object_or_404(stewards(Scope.of(request.user)).select_related("building__grid"), pk=pk)
    response = HttpResponse(letter_pdf(steward), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{steward.letter_no}.pdf"'
    return response
