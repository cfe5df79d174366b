"""民法典第二百七十八条: how owners decide jointly, in exact arithmetic (Fractions of Decimal areas, no floats).

    业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。
    决定前款第六项至第八项规定的事项（筹集、使用建筑物及其附属设施的维修资金；改建、重建建筑物及其附属设施；
    改变共有部分的用途或者利用共有部分从事经营活动），应当经参与表决专有部分面积四分之三以上的业主且参与表决
    人数四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数
    的业主同意。

"以上" includes the bound (≥); "过半数" is strictly more than half (>). One flat counts as one owner.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction

TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)
# part -> (how the line is compared, the fraction in words, the article's own word for the line)
WORDING = {
    TWO_THIRDS: ("不少于", "三分之二", "三分之二以上"),
    THREE_QUARTERS: ("不少于", "四分之三", "四分之三以上"),
    HALF: ("超过", "一半", "过半数"),
}


def smallest_area(base: Decimal, part: Fraction, strict: bool) -> Decimal:
    """The smallest area, in whole cents (areas are kept to the cent), that meets the line: for "以上" the part itself
    rounded up; for "过半数" the first cent above it."""
    cents = Fraction(base) * part * 100
    whole = math.floor(cents) + 1 if strict else math.ceil(cents)
    return Decimal(whole).scaleb(-2)


def smallest_count(base: int, part: Fraction, strict: bool) -> int:
    cut = Fraction(base) * part
    return math.floor(cut) + 1 if strict else math.ceil(cut)


@dataclass(frozen=True)
class Threshold:
    """One line of article 278, e.g. 同意的业主超过参与表决户数 24 户的一半：须达到 13 户（过半数）.

    ``required`` is the smallest count (or area, to the cent) that meets the line; ``margin`` is ``actual`` minus it,
    so 0 means the line is just met and a negative margin is what is still missing."""

    key: str
    label: str  # who or what is measured, e.g. "同意的业主"
    rule: str  # the line in words, e.g. "超过参与表决户数的一半（过半数）"
    unit: str  # "m²", "户" or "票"
    actual: str
    base: str  # the whole it is measured against
    required: str  # the smallest count or area that meets the line
    met: bool
    margin: str  # actual minus required
    whole: str  # the name of the whole, e.g. "参与表决户数"
    doing: str  # what the counted did, e.g. "同意" or "参与表决"
    part: str  # "三分之二", "一半", "四分之三"
    compare: str  # "不少于" or "超过"
    word: str  # the article's word: "三分之二以上", "过半数", "四分之三以上"

    def sentence(self) -> str:
        unit = "m² " if self.unit == "m²" else self.unit  # "2.00 m² 同意" but "2 户同意"
        line = f"{self.label}{self.compare}{self.whole} {self.base} {unit}的{self.part}"
        if Decimal(self.base) == 0:
            return (
                f"{line}：{'尚无人参与表决' if self.whole.startswith('参与') else '范围内没有可表决的房屋'}"
            )
        margin = Decimal(self.margin)
        if margin > 0:
            how = f"超出 {self.margin} {self.unit}"
        elif margin == 0:
            how = "恰好达到"
        else:
            how = f"还差 {-margin} {self.unit}"
            if self.word == "过半数" and Fraction(Decimal(self.actual)) * 2 == Fraction(Decimal(self.base)):
                how += "（恰好一半不算过半数）"
        return f"{line}：须达到 {self.required} {self.unit}（{self.word}），已有 {self.actual} {unit}{self.doing}，{how}"


def _threshold(key, label, whole, doing, unit, actual, base, required, part: Fraction) -> Threshold:
    compare, part_words, word = WORDING[part]
    met = base > 0 and actual >= required
    return Threshold(
        key=key, label=label, rule=f"{compare}{whole}的{part_words}（{word}）", unit=unit, actual=str(actual),
        base=str(base), required=str(required), met=met, margin=str(actual - required), whole=whole,
        doing=doing, part=part_words, compare=compare, word=word,
    )  # fmt: skip


def area_threshold(
    key: str, label: str, whole: str, doing: str, actual: Decimal, base: Decimal, part: Fraction
) -> Threshold:
    """The line "过半数" is strictly more than half; "三分之二以上" and "四分之三以上" include the line itself."""
    required = smallest_area(base, part, strict=part == HALF)
    return _threshold(key, label, whole, doing, "m²", actual, base, required, part)


def count_threshold(
    key: str, label: str, whole: str, doing: str, actual: int, base: int, part: Fraction, unit: str = "户"
) -> Threshold:
    required = smallest_count(base, part, strict=part == HALF)
    return _threshold(key, label, whole, doing, unit, actual, base, required, part)


@dataclass(frozen=True)
class Outcome:
    rule: str  # "ordinary" or "weighty"
    quorum_met: bool
    passed: bool
    thresholds: list[Threshold]
    summary: str

    def as_dict(self) -> dict:
        data = asdict(self)
        data["thresholds"] = [{**asdict(t), "sentence": t.sentence()} for t in self.thresholds]
        return data


def owners_decision(
    *,
    weighty: bool,
    total_area: Decimal,
    total_owners: int,
    voted_area: Decimal,
    voted_owners: int,
    agreed_area: Decimal,
    agreed_owners: int,
) -> Outcome:
    """The four lines of article 278 and whether the matter passed."""
    part = THREE_QUARTERS if weighty else HALF
    thresholds = [
        area_threshold(
            "quorum_area", "参与表决的专有部分面积", "总面积", "参与表决", voted_area, total_area, TWO_THIRDS
        ),
        count_threshold(
            "quorum_owners", "参与表决的业主", "总户数", "参与表决", voted_owners, total_owners, TWO_THIRDS
        ),
        area_threshold(
            "approval_area", "同意的专有部分面积", "参与表决面积", "同意", agreed_area, voted_area, part
        ),
        count_threshold(
            "approval_owners", "同意的业主", "参与表决户数", "同意", agreed_owners, voted_owners, part
        ),
    ]
    quorum_met = thresholds[0].met and thresholds[1].met
    passed = all(t.met for t in thresholds)
    missed = [t for t in thresholds if not t.met]
    if passed:
        summary = "表决通过：" + "；".join(t.sentence() for t in thresholds)
    elif not quorum_met:
        summary = "表决未通过，参与表决的业主不足：" + "；".join(t.sentence() for t in missed)
    else:
        summary = "表决未通过：" + "；".join(t.sentence() for t in missed)
    return Outcome("weighty" if weighty else "ordinary", quorum_met, passed, thresholds, summary)


def simple_majority(*, voted: int, agreed: int) -> Outcome:
    """A vote that is not an owners' joint matter: passes with more than half of the ballots cast agreeing."""
    t = count_threshold("approval_ballots", "同意票", "有效票", "同意", agreed, voted, HALF, "票")
    summary = ("表决通过：" if t.met else "表决未通过：") + t.sentence()
    return Outcome("simple", voted > 0, t.met, [t], summary)
