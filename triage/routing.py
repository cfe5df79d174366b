"""The unit suggestion (承办单位建议): a ranking of the units that may take the appeal, each with why.

The units that may take it are those serving its community (``appeals.selectors.units_serving``), less any unit
that has already returned this appeal as not its own. Each **source** below looks at the appeal's category and
place and votes for units; a vote weighs as much evidence as so many appeals. A unit's score is the sum of its
votes, and the three best are suggested, each with the reason of its strongest vote.

1. **Rules** (``RoutingRule``: category × area → unit). The rule that applies (the most specific category, then
   the most specific area) votes ``RULE``: the district decided, so its unit comes first. The other rules that
   match (the category's parent rule, the same category's rule over a wider area) name the natural second choice
   when the first is wrong, and vote ``OTHER_RULE``. Reason: "规则：城乡建设/市政设施 × 松园社区 → 城管局".
2. **History**: which units finished appeals of the same category here (the community), and how well they were
   rated: each unit votes its finished count × (½ + ½ 满意率) (an unrated unit counts ½ + ¼). The look-back
   widens from 90 days to a year when the last 90 days hold fewer than ``MIN_HISTORY`` such appeals; the reason
   says which: "历史：近 90 天同类 12 件由 … 办结，满意率 92%（11/12）".
3. **Duty**: units whose declared categories (``Unit.categories``) include it vote ``DUTY``, those that declared
   its parent ``PARENT_DUTY``.

So one appeal finished once by an odd unit (``≤ 1``) does not push aside a unit whose duty it is (``DUTY``), and
two well-rated ones do. ``SOURCES`` is the list the ranking asks; a source is a function of a ``Need`` giving
``Vote`` rows (``docs/triage.md``). What the sources read is in memory (``triage.tables``): no query per call.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from appeals.models import Status
from areas.models import Area
from categories.models import Category
from linli import clock
from triage import tables as memory
from triage.models import RoutingRule
from units.models import Unit

HISTORY_DAYS = (90, 365)
MIN_HISTORY = 3
FINISHED = (Status.COMPLETED, Status.CLOSED)
TOP = 3
# What a vote weighs, in appeals' worth of evidence.
RULE = 1000.0
OTHER_RULE = 2.0
DUTY = 1.5
PARENT_DUTY = 0.75


@dataclass(frozen=True)
class UnitGuess:
    unit: Unit
    source: str  # "rule", "history", "duty" (or another source's name)
    reason: str
    score: float = 0.0


@dataclass(frozen=True)
class Need:
    """What is being routed, as the sources see it."""

    category: Category
    chain: list[Category]  # the category, then its ancestors
    community_id: int
    area_ids: list[int]  # the place and the areas above it (district first)
    allowed: dict[int, Unit]  # units that may take it, by id
    now: datetime
    tables: memory.Tables
    exclude: int | None = None  # the appeal itself, when it is in the history already
    appeal: object | None = None  # the appeal, for sources that read its place more closely (building, grid)


@dataclass(frozen=True)
class Vote:
    unit_id: int
    source: str
    weight: float  # in appeals' worth
    reason: str


Source = Callable[[Need], Iterable[Vote]]


def category_chain(category: Category) -> list[Category]:
    """The category and its ancestors, the category first."""
    return memory.tables().chain(category)


def path_name(category: Category, known: memory.Tables | None = None) -> str:
    return "/".join(c.name for c in reversed((known or memory.tables()).chain(category)))


def _area_ids(place: Area | str) -> list[int]:
    path = place if isinstance(place, str) else place.path
    return [int(p) for p in path.strip("/").split("/") if p]


def _matching_rules(need: Need) -> list[RoutingRule]:
    """Rules for the category or an ancestor at the place or above, the one that applies first."""
    depth = {c.pk: i for i, c in enumerate(need.chain)}
    rules = [
        need.tables.rules[key]
        for key in ((c.pk, a) for c in need.chain for a in need.area_ids)
        if key in need.tables.rules
    ]
    return sorted(rules, key=lambda r: (depth[r.category_id], -r.area.depth))


def rule_for(category: Category, place: Area | str) -> RoutingRule | None:
    """The rule that applies to this category at this place: the most specific category, then area."""
    known = memory.tables()
    chain = known.chain(category)
    need = Need(category, chain, 0, _area_ids(place), {}, clock.now(), known)
    rules = _matching_rules(need)
    return rules[0] if rules else None


def _rule_reason(rule: RoutingRule, category: Category, known: memory.Tables | None = None) -> str:
    covered = path_name(rule.category if rule.category_id != category.pk else category, known)
    return f"规则：{covered} × {rule.area.name} → {rule.unit.name}"


# ---- the sources ----------------------------------------------------------------------------------------------
def rule_votes(need: Need) -> Iterable[Vote]:
    for i, rule in enumerate(_matching_rules(need)):
        weight = RULE if i == 0 else OTHER_RULE
        yield Vote(rule.unit_id, "rule", weight, _rule_reason(rule, need.category, need.tables))


def history_votes(need: Need) -> Iterable[Vote]:
    """Units that finished appeals of this category here, by finished count × (½ + ½ 满意率)."""
    data = memory.finished(need.community_id, need.now - timedelta(days=max(HISTORY_DAYS)))
    if not len(data.pk):
        return
    at = need.now.timestamp()
    mask = (data.category == need.category.pk) & (data.completed < at)
    mask &= np.isin(data.unit, np.fromiter(need.allowed, dtype=np.int64, count=len(need.allowed)))
    if need.exclude:
        mask &= data.pk != need.exclude
    if not mask.any():
        return
    days = HISTORY_DAYS[-1]
    for window in HISTORY_DAYS:
        recent = mask & (data.completed >= at - window * 86400)
        if recent.sum() >= MIN_HISTORY or window == HISTORY_DAYS[-1]:
            days, mask = window, recent
            break
    units, inverse = np.unique(data.unit[mask], return_inverse=True)
    finished = np.bincount(inverse)
    rated = np.bincount(inverse, weights=data.rated[mask])
    good = np.bincount(inverse, weights=data.good[mask])
    for unit_id, n, rated_n, good_n in zip(
        units.tolist(), finished.tolist(), rated.astype(int).tolist(), good.astype(int).tolist(), strict=True
    ):
        share = good_n / rated_n if rated_n else 0.5
        unit = need.allowed[unit_id]
        rate = f"满意率 {share:.0%}（{good_n}/{rated_n}）" if rated_n else "尚无评价"
        reason = f"历史：近 {days} 天同类 {n} 件由 {unit.name} 办结，{rate}"
        yield Vote(unit_id, "history", n * (0.5 + 0.5 * share), reason)


def duty_votes(need: Need) -> Iterable[Vote]:
    """Units that declared the category (``DUTY``) or one above it (``PARENT_DUTY``)."""
    for i, node in enumerate(need.chain):
        what = path_name(node, need.tables)
        for unit_id in need.tables.duty.get(node.pk, ()):
            if unit_id in need.allowed:
                name = need.allowed[unit_id].name
                yield Vote(
                    unit_id, "duty", DUTY if i == 0 else PARENT_DUTY, f"职责：{name} 承办“{what}”类诉求"
                )


# Asked in this order; a source added here takes part in the ranking (its votes' weights say how much it counts).
SOURCES: list[Source] = [rule_votes, history_votes, duty_votes]


# ---- the ranking ----------------------------------------------------------------------------------------------
def rank(votes: Iterable[Vote], allowed: dict[int, Unit], *, top: int = TOP) -> list[UnitGuess]:
    """Units by the sum of their votes, best first; each with its strongest vote's source and reason."""
    total: dict[int, float] = {}
    strongest: dict[int, Vote] = {}
    for vote in votes:
        if vote.unit_id not in allowed:
            continue
        total[vote.unit_id] = total.get(vote.unit_id, 0.0) + vote.weight
        if vote.unit_id not in strongest or vote.weight > strongest[vote.unit_id].weight:
            strongest[vote.unit_id] = vote
    order = sorted(total, key=lambda u: (-total[u], allowed[u].kind, allowed[u].code))
    return [
        UnitGuess(allowed[u], strongest[u].source, strongest[u].reason, round(total[u], 3))
        for u in order[:top]
    ]


def suggest_units(
    category: Category | None,
    community_id: int,
    place_path: str,
    *,
    allowed: dict[int, Unit],
    now: datetime | None = None,
    exclude: int | None = None,
    refused: Collection[int] = (),
    appeal: object | None = None,
    top: int = TOP,
    sources: Iterable[Source] | None = None,
) -> list[UnitGuess]:
    """Up to ``top`` units for an appeal of this category at this place, the best first, each with its reason.
    ``allowed``: the units that may take the community's appeals, by id; ``refused``: units that returned it."""
    if category is None:
        return []
    known = memory.tables()
    open_to = {pk: u for pk, u in allowed.items() if pk not in refused}
    need = Need(
        category=known.categories.get(category.pk, category),
        chain=known.chain(category),
        community_id=community_id,
        area_ids=_area_ids(place_path),
        allowed=open_to,
        now=now or clock.now(),
        tables=known,
        exclude=exclude,
        appeal=appeal,
    )
    return rank((vote for source in (sources or SOURCES) for vote in source(need)), open_to, top=top)


def history_for(
    category: Category,
    community_id: int,
    allowed: dict[int, Unit],
    *,
    now: datetime,
    exclude: int | None = None,
) -> list[UnitGuess]:
    """The history source alone: units that finished appeals of this category in this community, best first."""
    return suggest_units(
        category,
        community_id,
        "",
        allowed=allowed,
        now=now,
        exclude=exclude,
        top=len(allowed) or 1,
        sources=[history_votes],
    )


def _unique(guesses: list[UnitGuess]) -> list[UnitGuess]:
    seen: set[int] = set()
    unique = []
    for guess in guesses:
        if guess.unit.pk not in seen:
            seen.add(guess.unit.pk)
            unique.append(guess)
    return unique
