"""The 红色物业 figures, always counted from the rating rows themselves (nothing is kept in between).

- 满意度 of a set of ratings = the stars given ÷ (5 stars × 5 criteria × the number of ratings), printed with that
  very fraction; the mean of a criterion = its stars ÷ the number of ratings, to one place.
- 四色 grade of the community's assessment: 红色（示范）from 90 %, 绿色（良好）from 75 %, 黄色（达标）from 60 %,
  橙色（整改）below.
- A firm is ranked among the firms of the area with at least ``MIN_RATINGS`` residents' ratings in the period,
  by residents' 满意度, then by the community's; the others are listed after them with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from compounds.models import CRITERIA, Rating
from evaluation.ledgers import Rate

MIN_RATINGS = 5
PER_RATING = 5 * len(CRITERIA)  # the most stars one rating can give
COLOURS = [
    (Decimal("0.90"), "red", "红色（示范）"),
    (Decimal("0.75"), "green", "绿色（良好）"),
    (Decimal("0.60"), "yellow", "黄色（达标）"),
    (Decimal("0"), "orange", "橙色（整改）"),
]


@dataclass(frozen=True)
class Score:
    n: int  # ratings
    sums: dict[str, int]  # stars per criterion

    @property
    def stars(self) -> int:
        return sum(self.sums.values())

    @property
    def rate(self) -> Rate:
        """满意度: stars given ÷ the most they could have been."""
        return Rate(self.stars, PER_RATING * self.n)

    def mean(self, field: str) -> str:
        if not self.n:
            return "—"
        return str((Decimal(self.sums[field]) / self.n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def means(self) -> list[tuple[str, str]]:
        return [(label, self.mean(field)) for field, label in CRITERIA]

    @property
    def colour(self) -> tuple[str, str] | None:
        """(css name, 四色 label), or None without ratings."""
        value = self.rate.value
        if value is None:
            return None
        return next((name, label) for floor, name, label in COLOURS if value >= floor)


def score_of(ratings: QuerySet[Rating]) -> Score:
    sums = ratings.aggregate(n=Count("pk"), **{f: Sum(f) for f, _ in CRITERIA})
    return Score(n=sums["n"], sums={f: sums[f] or 0 for f, _ in CRITERIA})


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarters_between(start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The quarters that overlap [start, end), in local dates."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    out = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while quarter_start(year, quarter) <= last:
        out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def in_quarters(quarters: list[tuple[int, int]]) -> Q:
    q = Q(pk__in=[])
    for year, quarter in quarters:
        q |= Q(year=year, quarter=quarter)
    return q


@dataclass(frozen=True)
class Current:
    """The latest quarter's rating of the firm serving a compound now."""

    year: int
    quarter: int
    residents: Score
    community: Score

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


def current_rating(compound_id: int, firm_id: int) -> Current | None:
    rows = Rating.objects.filter(compound_id=compound_id, firm_id=firm_id)
    latest = rows.order_by("-year", "-quarter").values("year", "quarter").first()
    if latest is None:
        return None
    quarter = rows.filter(year=latest["year"], quarter=latest["quarter"])
    return Current(
        year=latest["year"],
        quarter=latest["quarter"],
        residents=score_of(quarter.filter(rater=Rating.Rater.RESIDENT)),
        community=score_of(quarter.filter(rater=Rating.Rater.COMMUNITY)),
    )
