"""Reading figures back from what a user sees (a page, the PDF's text, a workbook) and checking each against
the fraction shown with it: the fraction, computed exactly, must give the shown percentage at the shown
precision. Independent of ``evaluation.figures``: the rules are written out again here."""

from __future__ import annotations

import html
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

BASICALLY = Fraction(4, 5)  # 基本满意按 0.8 计 (the default)
WEIGHTS = (Fraction(1, 10), Fraction(5, 10), Fraction(4, 10))  # response, resolution, satisfaction

NUMBER = r"\d+(?:\.\d+)?"
FRACTION = rf"(?:\(\s*(\d+)\s*\+\s*(\d+)\s*×\s*({NUMBER})\s*\)|(\d+))\s*÷\s*(\d+)"
FRACTION_RE = re.compile(FRACTION)
# a rate as shown: one decimal and a percent sign, then (after an optional "=") the fraction it comes from
RATE_RE = re.compile(rf"(\d+\.\d)%(\s*[=（]?\s*)(?:{FRACTION})?")
SCORE_ROW_RE = re.compile(
    rf"(?<![\d.])(\d+\.\d) (\d+\.\d)% ({FRACTION}) (\d+\.\d)% ({FRACTION}) (\d+\.\d)% ({FRACTION})"
)


def fraction_value(text: str) -> Fraction:
    """The exact value of a shown fraction: "40 ÷ 42" or "(40 + 5 × 0.8) ÷ 62"."""
    m = FRACTION_RE.fullmatch(text.strip())
    assert m, f"not a fraction: {text!r}"
    satisfied, basically, weight, plain, denominator = m.groups()
    if plain is not None:
        numerator = Fraction(int(plain))
    else:
        numerator = int(satisfied) + int(basically) * Fraction(Decimal(weight))
        assert Fraction(Decimal(weight)) == BASICALLY, f"the weight shown is {weight}, not the one in force"
    return numerator / int(denominator)


def one_place(value: Fraction) -> str:
    """A number rounded half up to one decimal, as the product shows it."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(value: Fraction) -> str:
    return one_place(value * 100)


def composite(rates: list[Fraction | None]) -> str:
    """The composite score of three rates (response, resolution, satisfaction), re-weighted when one is missing."""
    known = [(w, r) for w, r in zip(WEIGHTS, rates, strict=True) if r is not None]
    total = sum(w for w, _ in known)
    return one_place(sum(w * r for w, r in known) / total * 100)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def check_rates(text: str) -> int:
    """Every rate shown in ``text`` (``12.3%``) is followed by its fraction, and the fraction gives exactly that
    percentage. Returns how many were checked."""
    text = collapse(text)
    checked = 0
    for m in RATE_RE.finditer(text):
        shown = m.group(1)
        fraction = m.group(0)[len(shown) + 1 + len(m.group(2)) :]
        context = text[max(0, m.start() - 60) : m.end() + 10]
        assert fraction, f"the rate {shown}% is shown without its fraction: …{context}…"
        assert percent(fraction_value(fraction)) == shown, f"{fraction} is not {shown}%: …{context}…"
        checked += 1
    return checked


def check_scores(text: str) -> int:
    """Every row that shows a composite score followed by its three rates: the score is the weighted rates."""
    checked = 0
    for m in SCORE_ROW_RE.finditer(collapse(text)):
        score = m.group(1)
        rates = [fraction_value(m.group(i)) for i in (3, 10, 17)]
        assert composite(rates) == score, f"score {score} is not the weighted {m.group(0)}"
        checked += 1
    return checked


def visible_text(page: str) -> str:
    """The words a person reads on a page's main part: no scripts, no tags, no attributes."""
    main = page[page.find("<main") : page.rfind("</main>")] if "<main" in page else page
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return collapse(html.unescape(re.sub(r"<[^>]+>", " ", main)))


def pdf_text(data: bytes, tmp: Path) -> str:
    """The PDF's text in drawing order (pdftotext -raw, poppler-utils): each table cell's lines together."""
    path = tmp / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def workbook_strings(book) -> list[str]:
    return [v for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def check_workbook(book) -> int:
    """In every sheet: each rate column (a 0.0% number) has its fraction beside it ("X算式", or the overview's
    "算式"), whose exact value the number is; each composite score is its row's weighted rates."""
    checked = 0
    for ws in book:
        rows = list(ws.iter_rows())
        heads = ("名称", "指标", "单位", "提供者")
        h = next((i for i, r in enumerate(rows) if any(c.value in heads for c in r)), None)
        if h is None:
            continue
        names = [c.value for c in rows[h]]
        pairs = [(i, names.index(f"{n}算式")) for i, n in enumerate(names) if f"{n}算式" in names]
        if "数值" in names and "算式" in names:
            pairs.append((names.index("数值"), names.index("算式")))
        for row in rows[h + 1 :]:
            fractions: dict[str, Fraction] = {}
            for value_col, fraction_col in pairs:
                cell, shown = row[value_col], row[fraction_col].value
                if cell.number_format != "0.0%":  # a score, a count or a time: no fraction of counts
                    continue
                if cell.value is None:
                    assert not shown, f"{ws.title}: a fraction without a rate: {shown}"
                    continue
                assert shown, f"{ws.title}: the rate {cell.value} has no fraction beside it"
                exact = fraction_value(shown)
                assert abs(float(exact) - cell.value) < 1e-12, (ws.title, shown, cell.value)
                fractions[names[value_col]] = exact
                checked += 1
            if "综合得分" in names and {"响应率", "解决率", "满意率"} <= set(fractions):
                score = row[names.index("综合得分")].value
                rates = [fractions[k] for k in ("响应率", "解决率", "满意率")]
                assert one_place(Fraction(score)) == composite(rates), (ws.title, score, rates)
    return checked
