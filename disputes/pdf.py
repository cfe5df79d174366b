"""人民调解协议书 as PDF, in the standard layout (司法部 人民调解文书格式): title and number, the parties, the main
facts and points in dispute, the agreement reached, how and by when it is to be performed, the copies, and the
signature block of the parties, the mediator, the recorder and the committee's seal. Chinese text in the font
``evaluation.pdf.register_font`` finds; every piece of text escaped for ReportLab's paragraphs.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from disputes.models import Agreement, Case, Member, Party
from evaluation.pdf import register_font


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _party_line(party: Party) -> str:
    bits = [f"{party.get_side_display()}：{party.name}"]
    person = party.person
    if person is not None:
        if person.gender:
            bits.append(person.get_gender_display())
        if person.birth_year:
            bits.append(f"{person.birth_year}年生")
    if party.address:
        bits.append(f"住址：{party.address}")
    if party.phone:
        bits.append(f"联系电话：{party.phone}")
    return "，".join(bits)


def agreement_pdf(case: Case, agreement: Agreement) -> bytes:
    font = register_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=20, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=2)
    number = ParagraphStyle("number", parent=base, alignment=TA_RIGHT, fontSize=10.5)
    head = ParagraphStyle("head", parent=base, fontSize=12, leading=22, spaceBefore=8)
    body = ParagraphStyle("body", parent=base, firstLineIndent=22)
    committee = f"{case.community.name}人民调解委员会"

    story: list = [
        _p("人民调解协议书", title),
        _p(f"{committee}  {case.number}", number),
        Spacer(1, 4 * mm),
    ]
    for party in case.parties.select_related("person"):
        story.append(_p(_party_line(party), base))
    story += [_p("纠纷主要事实、争议事项：", head), _p(case.summary, body)]
    statements = [p for p in case.parties.all() if p.statement]
    for party in statements:
        story.append(_p(f"{party.name}称：{party.statement}", body))
    story += [_p("经调解，自愿达成如下协议：", head), _p(agreement.text, body)]
    terms = list(agreement.terms.all())
    for i, term in enumerate(terms, start=1):
        story.append(_p(f"{i}. {term.text}", body))
    story.append(_p("履行方式、时限：", head))
    for i, term in enumerate(terms, start=1):
        story.append(_p(f"第 {i} 项于 {term.due_on:%Y年%m月%d日} 前履行完毕。", body))
    copies = case.parties.count() + 1
    story += [
        _p(
            f"本协议一式 {copies} 份，当事人、人民调解委员会各持一份。经双方当事人签名（盖章或按指印）、"
            "人民调解员签名并加盖人民调解委员会印章后生效。",
            body,
        ),
        Spacer(1, 8 * mm),
    ]
    mediators = [
        m.person.name for m in case.members.select_related("person") if m.duty == Member.Duty.MEDIATOR
    ]
    sign_rows = [[_p(f"当事人（签名）：{p.name}", base), _p("", base)] for p in case.parties.all()]
    sign_rows += [
        [_p(f"人民调解员（签名）：{'、'.join(mediators)}", base), _p("", base)],
        [_p("记录人（签名）：", base), _p(f"{committee}（印章）", base)],
        [_p("", base), _p(f"{(agreement.signed_at or agreement.made_at):%Y年%m月%d日}", base)],
    ]
    table = Table(sign_rows, colWidths=[95 * mm, 75 * mm])
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]
            + [("TEXTCOLOR", (0, 0), (-1, -1), colors.black)]
        )
    )
    story.append(table)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"人民调解协议书 {case.number}",
        author=committee,
    )
    doc.build(story)
    return buffer.getvalue()
