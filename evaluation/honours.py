"""The 红黑榜 of the monthly report: which ranked units are named best and which need to improve.

Both lists are drawn from the units' ranking only (real units with at least 5 appeals, ``evaluation.ranking``),
each by a rule written beside it in the report, and no unit is on both:

- 表现最好: a place in the first ``TOP`` by composite score (equal scores share a place) and a satisfaction rate
  of at least ``BEST_SATISFACTION``;
- 有待改进: the ``TOP`` lowest composite scores (a unit level with the third lowest is listed too), leaving out
  any unit already named best; none when fewer than ``TOP + 1`` units are ranked (a short list has no "bottom").
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from evaluation.ranking import MIN_COUNTED

TOP = 3
BEST_SATISFACTION = Fraction(90, 100)

BEST_RULE = f"综合得分前 {TOP} 名且满意率不低于 {BEST_SATISFACTION * 100}%，得分相同名次相同"
WORST_RULE = (
    f"综合得分最低的 {TOP} 个单位，与第 {TOP} 低同分的一并列出，已列入“表现最好”的除外；"
    f"参与排名的单位不足 {TOP + 1} 个时不列"
)
WHO = f"只在参与排名的承办单位（受理 {MIN_COUNTED} 件及以上）中评选"


@dataclass
class Honours:
    best: list  # dashboard.TableRow, best first
    worst: list  # worst first


def honours(ranked_rows: list) -> Honours:
    """The two lists from the ranked rows of the units' table (``TableRow`` with ``rank`` and ``totals``)."""
    rows = [r for r in ranked_rows if r.rank is not None]
    best = [
        r
        for r in rows
        if r.rank <= TOP and (r.totals.rate("satisfaction_rate") or Fraction(0)) >= BEST_SATISFACTION
    ]
    named = {id(r) for r in best}
    worst: list = []
    if len(rows) > TOP:
        lowest = sorted(rows, key=lambda r: r.totals.value("composite"))
        cut = lowest[min(TOP, len(lowest)) - 1].totals.value("composite")
        worst = [r for r in lowest if r.totals.value("composite") <= cut and id(r) not in named]
    return Honours(best=best, worst=worst)
