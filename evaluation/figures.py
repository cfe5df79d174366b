"""The figures: each defined once, in words (shown beside it and in docs/figures.md) and in counts.

A ``Totals`` holds summed measures of the cube (exact integers). Rates are ``Fraction``s of those integers,
computed only to display and rank; nothing stores a rate. Times to first contact and to completion come from
histogram buckets: the median and p90 shown are the upper bound of the bucket holding that rank (exact to
one bucket; see ``quantile_bucket``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from evaluation.conf import basically_weight, score_weights
from evaluation.models import BUCKET_BOUNDS, BUCKETS, CLOSE_BUCKETS, CONTACT_BUCKETS, MEASURES


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    text: str  # the definition; {basically} and {weights} are filled in from the settings when shown
    kind: str  # "rate" (a Fraction), "score" (0–100), "count", "hours"
    numerator: str = ""  # the measure whose appeals are listed when the figure is drilled into
    denominator: str = ""
    higher_is_better: bool = True

    @property
    def definition(self) -> str:
        """The definition in the user's words, with the weights in force (never the name of a setting)."""
        if "{" not in self.text:
            return self.text
        return self.text.format(basically=number_text(basically_weight()), weights=weights_text())


def number_text(value: Decimal | Fraction | int) -> str:
    """0.8 → "0.8", 1 → "1", 0.75 → "0.75": a weight as a person writes it."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


RATE_WORDS = ("响应率", "解决率", "满意率")
SCORED = ("response_rate", "resolution_rate", "satisfaction_rate")  # the rates the composite score weighs


def weights_text(known: tuple[str, ...] = RATE_WORDS) -> str:
    """ "响应率 × 0.1 + 解决率 × 0.5 + 满意率 × 0.4" with the weights in force (only the parts in ``known``)."""
    return " + ".join(
        f"{word} × {number_text(w)}"
        for word, w in zip(RATE_WORDS, score_weights(), strict=True)
        if word in known and w
    )


FIGURES: list[Figure] = [
    Figure(
        "response_rate",
        "响应率",
        "按时响应数 ÷ 应响应数。应响应：已首次联系居民（接单、吹哨报到或直接答复），或联系已超时的诉求；"
        "按时响应：首次联系在联系时限内且未被标记联系超时。直接答复（未派单）的诉求以答复时间为首次联系，"
        "算按时响应。尚在联系时限内、还没联系的诉求不计入。",
        "rate",
        "responded",
        "response_due",
    ),
    Figure(
        "resolution_rate",
        "解决率",
        "居民评价“问题已解决”的数 ÷ 已评价数。以最近一次评价为准：不满意被退回重办、尚未再次评价的诉求按上次评价计。",
        "rate",
        "resolved",
        "rated",
    ),
    Figure(
        "satisfaction_rate",
        "满意率",
        "（满意数 + 基本满意数 × {basically}）÷ 已评价数，即基本满意按 {basically} 计、不满意不计。"
        "以最近一次评价为准。",
        "rate",
        "satisfied",
        "rated",
    ),
    Figure(
        "composite",
        "综合得分",
        "（{weights}）× 100。某项没有分母（如本月无人评价）时不计该项，其余各项的权重按比例放大到合计为 1。",
        "score",
    ),
    Figure(
        "closure_rate",
        "办结率",
        "已办结数 ÷ 受理数。办结：承办单位已办结或已直接答复（待评价或已评价办结）；被评价不满意退回重办的，"
        "重办期间不算办结。",
        "rate",
        "done",
        "counted",
    ),
    Figure(
        "on_time_rate",
        "按期办结率",
        "按期办结数 ÷ 应办结数。应办结：已办结，或已超过办结时限的诉求；按期：办结时间不晚于办结时限且未被标记办结超时。"
        "直接答复的诉求无办结时限，算按期。",
        "rate",
        "on_time",
        "due",
    ),
    Figure(
        "overdue",
        "超时件数",
        "联系超时或办结超时（督办巡查标记）的诉求数，含已办结但曾超时的（改派、重办会重新计时）。",
        "count",
        "overdue",
        higher_is_better=False,
    ),
    Figure(
        "contact_median",
        "首次联系用时（中位数）",
        "从提交到首次联系居民的用时，取已联系诉求的中位数。按时长分档统计（15 分钟 … 90 天共 22 档），"
        "显示所在档的上限，为近似值，误差不超过一档。",
        "hours",
        "contacted",
        higher_is_better=False,
    ),
    Figure(
        "contact_p90",
        "首次联系用时（90% 分位）",
        "90% 的已联系诉求在此用时内首次联系居民。分档近似，同上。",
        "hours",
        "contacted",
        higher_is_better=False,
    ),
    Figure(
        "close_median",
        "办结用时（中位数）",
        "从提交到办结（或直接答复）的用时，取已办结诉求的中位数。分档近似，显示所在档的上限。",
        "hours",
        "done",
        higher_is_better=False,
    ),
    Figure(
        "close_p90",
        "办结用时（90% 分位）",
        "90% 的已办结诉求在此用时内办结。分档近似，同上。",
        "hours",
        "done",
        higher_is_better=False,
    ),
    Figure(
        "reopen_rate",
        "重办率",
        "被重新办理过（居民不满意或工作人员重办）的诉求数 ÷ 曾办结数（已办结或重办过的诉求）。",
        "rate",
        "reopened",
        "reopen_base",
        higher_is_better=False,
    ),
    Figure(
        "counted",
        "受理数",
        "按提交月份计入的诉求数，不含已合并到其他诉求的和已撤回的；退回、吹哨、重办的诉求各计一件。",
        "count",
        "counted",
    ),
]
FIGURES_BY_KEY = {f.key: f for f in FIGURES}
RANKED = (
    "composite",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "closure_rate",
    "on_time_rate",
)

COUNT_LABELS = {
    "counted": "受理数",
    "merged": "合并数（不计入）",
    "withdrawn": "撤回数（不计入）",
    "contacted": "已联系数",
    "response_due": "应响应数",
    "responded": "按时响应数",
    "rated": "已评价数",
    "resolved": "已解决数",
    "satisfied": "满意数",
    "basically": "基本满意数",
    "done": "已办结数",
    "due": "应办结数",
    "on_time": "按期办结数",
    "overdue": "超时数",
    "open": "在办数",
    "reopened": "重办数",
    "reopen_base": "曾办结数",
    "whistled": "吹哨数",
    "returned": "退回过的数",
    "answered": "直接答复数",
}
assert set(COUNT_LABELS) == set(MEASURES)


def ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def quantile_bucket(histogram: list[int], q: Fraction) -> int | None:
    """The bucket holding the q-quantile (nearest-rank: the smallest bucket whose cumulative count ≥ ceil(q·n))."""
    n = sum(histogram)
    if n == 0:
        return None
    rank = max(1, -(-q.numerator * n // q.denominator))
    running = 0
    for i, count in enumerate(histogram):
        running += count
        if running >= rank:
            return i
    return len(histogram) - 1


def bucket_range(i: int) -> tuple[int, int | None]:
    """(lower, upper) seconds of bucket i; upper is None for the open last bucket."""
    lower = 0 if i == 0 else BUCKET_BOUNDS[i - 1]
    return lower, (BUCKET_BOUNDS[i] if i < len(BUCKET_BOUNDS) else None)


@dataclass
class Totals:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    contact_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    close_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)

    @classmethod
    def from_row(cls, row: dict) -> Totals:
        return cls(
            counts={m: int(row.get(m) or 0) for m in MEASURES},
            contact_hist=[int(row.get(c) or 0) for c in CONTACT_BUCKETS],
            close_hist=[int(row.get(c) or 0) for c in CLOSE_BUCKETS],
        )

    def __getitem__(self, measure: str) -> int:
        return self.counts[measure]

    def rate(self, key: str) -> Fraction | None:
        c = self.counts
        if key == "satisfaction_rate":
            if not c["rated"]:
                return None
            weighted = Fraction(c["satisfied"]) + Fraction(basically_weight()) * c["basically"]
            return weighted / c["rated"]
        if key == "composite":
            return self.composite()
        figure = FIGURES_BY_KEY[key]
        return ratio(c[figure.numerator], c[figure.denominator])

    def formula(self, key: str) -> str:
        """The very fraction a rate is computed from, with its counts ("40 ÷ 42", "(40 + 5 × 0.8) ÷ 62"), or
        how the composite score is weighed ("响应率 × 0.1 + …"); "" for counts and times, and for a rate
        without a denominator (shown as "—")."""
        figure = FIGURES_BY_KEY[key]
        if figure.kind not in ("rate", "score") or self.value(key) is None:
            return ""
        c = self.counts
        if key == "satisfaction_rate":
            weight = number_text(basically_weight())
            return f"({c['satisfied']} + {c['basically']} × {weight}) ÷ {c['rated']}"
        if key == "composite":
            known = tuple(w for w, k in zip(RATE_WORDS, SCORED, strict=True) if self.rate(k) is not None)
            weights = dict(zip(RATE_WORDS, score_weights(), strict=True))
            total = sum(weights[w] for w in known)
            if total == 1:
                return weights_text(known)
            return f"({weights_text(known)}) ÷ {number_text(total)}"
        return f"{c[figure.numerator]} ÷ {c[figure.denominator]}"

    def composite(self) -> Fraction | None:
        parts = [(Fraction(w), self.rate(k)) for w, k in zip(score_weights(), SCORED, strict=True)]
        known = [(w, r) for w, r in parts if r is not None and w]
        total = sum((w for w, _ in known), Fraction(0))
        if not known or not total:
            return None
        return sum((w * r for w, r in known), Fraction(0)) / total * 100

    def seconds(self, key: str) -> tuple[int, int | None] | None:
        hist = self.contact_hist if key.startswith("contact") else self.close_hist
        bucket = quantile_bucket(hist, Fraction(1, 2) if key.endswith("median") else Fraction(9, 10))
        return None if bucket is None else bucket_range(bucket)

    def value(self, key: str) -> Fraction | int | None:
        """The figure as a number to rank by (Fraction for rates and scores, seconds for times)."""
        cache = self.__dict__.setdefault("_values", {})
        if key not in cache:
            cache[key] = self._value(key)
        return cache[key]

    def _value(self, key: str) -> Fraction | int | None:
        figure = FIGURES_BY_KEY[key]
        if figure.kind == "count":
            return self.counts[figure.numerator]
        if figure.kind == "hours":
            r = self.seconds(key)
            return None if r is None else (r[1] if r[1] is not None else r[0] + 1)
        return self.rate(key)

    def display(self, key: str) -> str:
        return display(FIGURES_BY_KEY[key], self.value(key))

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            counts={m: self.counts[m] + other.counts[m] for m in MEASURES},
            contact_hist=[a + b for a, b in zip(self.contact_hist, other.contact_hist, strict=True)],
            close_hist=[a + b for a, b in zip(self.close_hist, other.close_hist, strict=True)],
        )


def decimal(value: Fraction, places: int = 1) -> Decimal:
    exp = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exp, rounding=ROUND_HALF_UP)


def hours_label(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60} 分钟"
    if seconds < 72 * 3600:
        h = Decimal(seconds) / 3600
        return f"{h.normalize():f} 小时"
    return f"{seconds // 86400} 天"


def display(figure: Figure, value: Fraction | int | None) -> str:
    if value is None:
        return "—"
    if figure.kind == "rate":
        return f"{decimal(Fraction(value) * 100)}%"
    if figure.kind == "score":
        return str(decimal(Fraction(value)))
    if figure.kind == "hours":
        return (
            f"≤ {hours_label(int(value))}"
            if value <= BUCKET_BOUNDS[-1]
            else f"> {hours_label(BUCKET_BOUNDS[-1])}"
        )
    return str(value)


def as_number(figure: Figure, value: Fraction | int | None) -> Decimal | int | None:
    """For spreadsheets and the API: rates as a Decimal fraction (4 places), scores 1 place, hours 1 place."""
    if value is None:
        return None
    if figure.kind == "rate":
        return decimal(Fraction(value), 4)
    if figure.kind == "score":
        return decimal(Fraction(value), 1)
    if figure.kind == "hours":
        return decimal(Fraction(int(value), 3600), 1)
    return int(value)
