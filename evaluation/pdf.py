"""The monthly report as PDF (reportlab), in a CJK font found on the system.

reportlab embeds TrueType outlines only; Noto Sans CJK (fonts-noto-cjk) is CFF-flavoured and cannot be used,
so the font is looked for in ``LINLI_PDF_FONT`` and then in Debian's WenQuanYi Micro Hei
(fonts-wqy-microhei, installed by ``make system-deps``) and a few other TrueType CJK fonts.
"""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from evaluation import honours
from evaluation.figures import FIGURES_BY_KEY
from evaluation.ledgers import Rate
from evaluation.report import ReportContent
from linli import clock

FONT_NAME = "LinliCJK"
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


def register_font() -> str:
    """Register the CJK font once; a clear error when none is installed."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    wanted = os.environ.get("LINLI_PDF_FONT")
    candidates = [wanted] if wanted else FONT_CANDIDATES
    tried = []
    for path in candidates:
        if not path or not Path(path).exists():
            tried.append(f"{path}（不存在）")
            continue
        try:
            kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
            pdfmetrics.registerFont(TTFont(FONT_NAME, path, **kwargs))
            return FONT_NAME
        except TTFError as exc:
            tried.append(f"{path}（{exc}）")
    raise ImproperlyConfigured(
        "生成 PDF 需要一个 TrueType 中文字体：请运行 `make system-deps`（安装 fonts-wqy-microhei），"
        "或用 LINLI_PDF_FONT 指定 .ttf/.ttc 文件。已尝试：" + "；".join(tried)
    )


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontSize=13,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
            textColor=colors.HexColor("#c62f2f"),
        ),
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#5f6b76")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        # numbers and fractions break only at spaces, never inside a number
        "num": ParagraphStyle("num", fontName=font, fontSize=8, leading=10, wordWrap=None),
    }


def _table(rows: list[list], widths: list[float], font: str) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f2f5")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d0d6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#fafbfc")]),
            ]
        )
    )
    return table


RANK_KEYS = ("composite", "response_rate", "resolution_rate", "satisfaction_rate", "closure_rate", "overdue")
RANK_WIDTHS = [10 * mm, 36 * mm, 11 * mm, 16 * mm, 22 * mm, 22 * mm, 30 * mm, 22 * mm, 11 * mm]


def _figure(cell, style) -> Paragraph | str:
    """A rate with the fraction it is computed from under it; a score or a count alone."""
    if cell.figure.kind == "rate" and cell.detail:
        return Paragraph(f"{cell.text}<br/>{escape(cell.detail)}", style)
    return cell.text


def _ranking(t, st, font: str) -> list:
    """A ranking: its rule, the ranked rows, then each group of rows left out under its reason."""
    out: list = [Paragraph(t.title, st["body"])]
    if t.rule:
        out.append(Paragraph(t.rule, st["small"]))
    head = ["名次", "名称", "受理", *[Paragraph(FIGURES_BY_KEY[k].label, st["cell"]) for k in RANK_KEYS]]
    body: list[list] = []
    spans: list[int] = []

    def row(r) -> list:
        cells = {c.figure.key: c for c in r.cells}
        return [r.rank or "—", Paragraph(escape(r.label), st["cell"]), r.counted] + [
            _figure(cells[k], st["num"]) for k in RANK_KEYS
        ]

    body += [row(r) for r in t.rows]
    for group in t.apart:
        spans.append(len(body) + 1)
        body.append([Paragraph(group.reason, st["cell"])] + [""] * (len(head) - 1))
        body += [row(r) for r in group.rows]
    if not body:
        return [*out, Paragraph("本期没有诉求。", st["small"]), Spacer(1, 3 * mm)]
    table = _table([head, *body], RANK_WIDTHS, font)
    for i in spans:
        table.setStyle(
            TableStyle(
                [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f0f2f5"))]
            )
        )
    return [*out, table, Spacer(1, 3 * mm)]


def _honours(content: ReportContent, st) -> list:
    out = [Paragraph(f"{honours.WHO}。", st["small"])]
    lists = (
        ("表现最好", honours.BEST_RULE, content.honours.best),
        ("有待改进", honours.WORST_RULE, content.honours.worst),
    )
    for title, rule, rows in lists:
        names = "、".join(_honoured(r) for r in rows) or "（没有符合规则的单位）"
        out.append(Paragraph(f"<b>{title}</b>　评选规则：{rule}。", st["body"]))
        out.append(Paragraph(f"名单：{names}", st["body"]))
    return out


def _honoured(row) -> str:
    cells = {c.figure.key: c for c in row.cells}
    satisfaction = cells["satisfaction_rate"]
    return (
        f"{escape(row.label)}（第 {row.rank} 名，综合得分 {cells['composite'].text}，"
        f"满意率 {satisfaction.text} = {escape(satisfaction.detail)}）"
    )


def _rate(text: str, formula: str, style) -> Paragraph | str:
    return Paragraph(f"{text}<br/>{escape(formula)}", style) if formula else text


NUMERALS = "七八九十"


def _ledgers(content: ReportContent, st, font: str) -> list:
    """The other ledgers' tables (evaluation.ledgers), each with its definitions; a rate with its fraction."""
    story: list = []
    for i, table in enumerate(content.ledgers):
        number = NUMERALS[i] if i < len(NUMERALS) else str(i + 7)
        story.append(Paragraph(f"{number}、{escape(table.title)}", st["h2"]))
        rows: list[list] = [list(table.columns)]
        for row in table.rows:
            rows.append(
                [
                    _rate(c.display, c.formula, st["num"])
                    if isinstance(c, Rate)
                    else Paragraph(escape(str(c)), st["cell"])
                    for c in row
                ]
            )
        width = 180 / max(len(table.columns), 1)
        story.append(
            _table(rows, [width * mm] * len(table.columns), font)
            if len(rows) > 1
            else Paragraph("本月没有记录。", st["small"])
        )
        for definition in table.definitions:
            story.append(Paragraph(escape(definition), st["small"]))
    return story


def write_pdf(content: ReportContent) -> bytes:
    font = register_font()
    st = _styles(font)
    P = lambda text, style="cell": Paragraph(str(text), st[style])  # noqa: E731
    story: list = [
        P(content.title, "title"),
        P(
            f"生成时间 {timezone.localtime(clock.now()):%Y-%m-%d %H:%M} · 数据按诉求提交月份统计；"
            "口径见各指标说明，算式写出每个比率的分子和分母。",
            "small",
        ),
        Spacer(1, 4 * mm),
        P("一、主要指标", "h2"),
    ]
    rows: list[list] = [["指标", "数值", "算式", "口径"]]
    rows += [
        [P(c.figure.label), c.text, P(escape(c.detail), "num"), P(c.figure.definition, "small")]
        for c in content.headline
    ]
    story.append(_table(rows, [28 * mm, 20 * mm, 40 * mm, 92 * mm], font))
    story.append(P("二、排名", "h2"))
    for t in content.rankings:
        story += _ranking(t, st, font)
    story.append(P("三、承办单位红黑榜", "h2"))
    story += _honours(content, st)
    story.append(P(f"四、超时诉求（{len(content.overdue)} 件）", "h2"))
    rows = [["编号", "诉求", "社区 / 网格", "承办单位", "超时"]]
    for a in content.overdue:
        kind = "、".join(
            k for k, v in (("联系超时", a.contact_overdue), ("办结超时", a.resolve_overdue)) if v
        )
        where = f"{a.community.name} {a.grid.name if a.grid else ''}"
        rows.append([a.pk, P(a.title), P(where), P(a.unit.name if a.unit else "—"), kind])
    story.append(
        _table(rows, [14 * mm, 54 * mm, 42 * mm, 38 * mm, 32 * mm], font)
        if len(rows) > 1
        else P("本月没有超时诉求。", "small")
    )
    story.append(P(f"五、居民评价意见（本月提交的诉求，{len(content.comments)} 条，不满意的在前）", "h2"))
    rows = [["居民", "满意度", "承办单位", "意见"]]
    for a in content.comments:
        rows.append(
            [
                a.public_name,
                a.get_satisfaction_display(),
                P(a.unit.name if a.unit else "—"),
                P(a.rating_comment),
            ]
        )
    story.append(
        _table(rows, [20 * mm, 20 * mm, 40 * mm, 100 * mm], font)
        if len(rows) > 1
        else P("本月没有文字评价。", "small")
    )
    story.append(P(f"六、三库联动服务单（{len(content.providers)} 个提供者）", "h2"))
    rows = [["提供者", "类型", "接单", "办结", "服务时长（小时）", "满意率（算式）"]]
    for provider in content.providers:
        rows.append(
            [
                P(provider["name"]),
                provider["kind"],
                provider["taken"],
                provider["closed"],
                provider["hours"],
                _rate(provider["satisfaction"], provider["satisfaction_formula"], st["num"]),
            ]
        )
    story.append(
        _table(rows, [60 * mm, 22 * mm, 18 * mm, 18 * mm, 34 * mm, 28 * mm], font)
        if len(rows) > 1
        else P("本月没有派出服务单。", "small")
    )
    story += _ledgers(content, st, font)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=content.title,
        author="邻里",
    )
    doc.build(story)
    return buffer.getvalue()
