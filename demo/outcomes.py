"""How the demo's appeals turn out: some units, communities and months do worse than others.

Real districts publish 解决率 and 满意率 of about 85–97% a month, with a few departments and property managers
at the bottom of the 红黑榜 and a slow improvement over the years. A demo where everything ends 100% satisfied
shows rankings, shortfall lists and trend charts with nothing in them, so each demo appeal draws its outcome
from a *trouble* factor (1 = an average unit, community and month):

- the unit: a few are clearly worse (``UNITS``), two change over time (住建局 improves after its 整改 half a
  year ago, the water company gets worse with its pipe works these last four months), the others vary a bit;
- the community: two are harder (``COMMUNITIES``: a station quarter and an old quarter);
- the month: things were worse two years ago (``HISTORY_WEIGHT``), and summer (汛期, heat) and the heating
  season bring more trouble.

The factor only sets probabilities; every step is still replayed through the real services at its own date
(``appeals.demo``). Probabilities are capped, so even the worst unit resolves most of its appeals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from areas.models import Area
from units.models import Unit

SEED = 8597  # 85–97%


@dataclass(frozen=True)
class Drift:
    """A unit's trouble factor: ``before`` until ``days_ago``, ``after`` since."""

    before: float
    after: float
    days_ago: int = 0


UNITS: dict[str, Drift] = {
    "住房和城乡建设局": Drift(2.2, 1.2, 180),  # 老旧小区改造 complaints; 整改 since half a year
    "康居物业": Drift(2.2, 2.2),
    "交通运输局": Drift(1.7, 1.7),
    "人力资源和社会保障局": Drift(1.5, 1.5),
    "北关派出所": Drift(1.6, 1.6),
    "供水": Drift(0.8, 2.2, 120),  # 管网改造 these four months
    "城市管理局": Drift(1.0, 1.0),
}
COMMUNITIES: dict[str, float] = {
    "D01-S2-C2": 1.7,  # 东站社区: the station quarter, many tenants
    "D01-S3-C3": 1.5,  # 龙溪社区: old quarter, few property managers
}
HISTORY_WEIGHT = 0.4  # two years ago things went wrong 40% more often than now
SEASON = {6: 1.2, 7: 1.25, 8: 1.2, 1: 1.1, 2: 1.1, 12: 1.05}


def chance(base: float, trouble: float, cap: float = 0.8) -> float:
    return min(cap, base * trouble)


class Outcomes:
    def __init__(self, now: datetime, span_days: int):
        self.now, self.span_days = now, span_days
        self._units: dict[int, Drift] = {}

    def _drift(self, unit: Unit) -> Drift:
        if unit.pk not in self._units:
            found = next((d for fragment, d in UNITS.items() if fragment in unit.name), None)
            if found is None:  # every other unit: a little better or worse, the same on every load
                level = random.Random(f"{SEED}-{unit.code}").uniform(0.55, 1.25)
                found = Drift(level, level)
            self._units[unit.pk] = found
        return self._units[unit.pk]

    def unit_factor(self, unit: Unit | None, t: datetime) -> float:
        if unit is None:
            return 1.0
        drift = self._drift(unit)
        return drift.after if (self.now - t).days < drift.days_ago else drift.before

    def trouble(self, t: datetime, community: Area, units: list[Unit] | None = None) -> float:
        """The trouble factor of an appeal raised at ``t`` in ``community``, handled by ``units``."""
        age = max(0.0, min(1.0, (self.now - t).days / self.span_days))
        month = 1 + HISTORY_WEIGHT * age
        month *= SEASON.get(t.month, 1.0)
        unit = sum(self.unit_factor(u, t) for u in units) / len(units) if units else 1.0
        return unit * COMMUNITIES.get(community.code, 1.0) * month


# ---- the rating a resident gives, round by round ----------------------------------------------------------------
SATISFIED, BASICALLY, UNSATISFIED = "satisfied", "basically_satisfied", "unsatisfied"


def first_rating(rng: random.Random, trouble: float) -> tuple[bool, str]:
    """The rating after the first completion: mostly resolved and satisfied, worse with trouble."""
    unsatisfied = chance(0.07, trouble, 0.35)
    unresolved = chance(0.035, trouble, 0.25)
    r = rng.random()
    if r < unsatisfied:
        return False, UNSATISFIED
    if r < unsatisfied + unresolved:  # 未解决，但居民理解（政策所限、需排期）
        return False, rng.choice([BASICALLY, BASICALLY, SATISFIED])
    return True, SATISFIED if rng.random() < max(0.55, 0.85 - 0.05 * trouble) else BASICALLY


def later_rating(rng: random.Random, trouble: float, round_: int) -> tuple[bool, str]:
    """The rating after a redo. A second 不满意 sends it back once more; the last redo is never refused
    (a third 不满意 would take the appeal up a level, away from the unit: not a story the demo tells)."""
    if round_ == 1 and rng.random() < chance(0.12, trouble, 0.4):
        return False, UNSATISFIED
    return rng.random() < 0.65, BASICALLY


def stuck(rng: random.Random, trouble: float, round_: int) -> bool:
    """Whether the unit never finishes the redo after a 不满意 (a 积案: open, overdue, rated unsatisfied).
    Rare for a good unit, the rule for the worst: the square keeps the 积案 with the units that earn them."""
    return rng.random() < chance(0.15 if round_ == 1 else 0.25, trouble * trouble, 0.6)


def answer_rating(rng: random.Random, trouble: float) -> tuple[bool, str]:
    """The rating of a direct answer (回复解释): sometimes the answer explains why it cannot be done."""
    if rng.random() < chance(0.12, trouble, 0.4):
        return False, BASICALLY
    return True, rng.choice([SATISFIED, SATISFIED, BASICALLY])
