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
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)
FRACTION_WORDS = {TWO_THIRDS: "三分之二以上", THREE_QUARTERS: "四分之三以上", HALF: "过半数"}


def _dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str  # what is measured, e.g. "参与表决的专有部分面积"
    rule: str  # e.g. "占总面积三分之二以上"
    unit: str  # "m²" or "户"
    actual: str
    base: str  # the whole it is measured against
    required: str  # the cut line (for counts: the smallest number that meets it)
    met: bool
    margin: str  # actual minus the cut line; for "过半数" a margin of 0 is not enough

    def sentence(self) -> str:
        verdict = "达到" if self.met else "未达到"
        if self.met:
            how = f"超出 {self.margin} {self.unit}" if Decimal(self.margin) > 0 else "恰好达到"
        elif Decimal(self.base) == 0:
            how = "尚无人参与表决"
        elif Decimal(self.margin) == 0:
            how = "恰好一半，须超过一半"
        else:
            how = f"差 {-Decimal(self.margin)} {self.unit}"
        return (
            f"{self.label} {self.actual} {self.unit}，{verdict}{self.rule}（须{'超过' if '过半' in self.rule else '至少'}"
            f" {self.required} {self.unit}，{how}）"
        )


def area_threshold(
    key: str, label: str, rule: str, actual: Decimal, base: Decimal, part: Fraction, strict: bool
):
    cut = Fraction(base) * part
    met = Fraction(actual) > cut if strict else Fraction(actual) >= cut
    return Threshold(
        key, label, rule, "m²", str(actual), str(base), str(_dec(cut)), met, str(_dec(Fraction(actual) - cut))
    )


def count_threshold(
    key: str, label: str, rule: str, actual: int, base: int, part: Fraction, strict: bool, unit: str = "户"
):
    cut = Fraction(base) * part
    smallest = math.floor(cut) + 1 if strict else math.ceil(cut)
    met = actual >= smallest
    return Threshold(
        key, label, rule, unit, str(actual), str(base), str(smallest), met, str(actual - smallest)
    )


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
    """The four thresholds of article 278 and whether the matter passed."""
    part = THREE_QUARTERS if weighty else HALF
    word = FRACTION_WORDS[part]
    thresholds = [
        area_threshold(
            "quorum_area",
            "参与表决的专有部分面积",
            "占总面积三分之二以上",
            voted_area,
            total_area,
            TWO_THIRDS,
            False,
        ),
        count_threshold(
            "quorum_owners",
            "参与表决的业主人数",
            "占总人数三分之二以上",
            voted_owners,
            total_owners,
            TWO_THIRDS,
            False,
        ),
        area_threshold(
            "approval_area",
            "同意的专有部分面积",
            f"占参与表决面积{word}",
            agreed_area,
            voted_area,
            part,
            part == HALF,
        ),
        count_threshold(
            "approval_owners",
            "同意的业主人数",
            f"占参与表决人数{word}",
            agreed_owners,
            voted_owners,
            part,
            part == HALF,
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
    t = count_threshold("approval_ballots", "同意票", "占有效票过半数", agreed, voted, HALF, True, "票")
    summary = ("表决通过：" if t.met else "表决未通过：") + t.sentence()
    return Outcome("simple", voted > 0, t.met, [t], summary)
