"""The unit suggestion (承办单位建议): from routing rules where they exist, from history where they do not.

1. **Rules** (``RoutingRule``: category × area → unit). The most specific category wins (a rule for the leaf
   城乡建设/市政设施 beats one for 城乡建设), then the most specific area (community, subdistrict, district).
   Reason: "规则：城乡建设/市政设施 × 松园社区 → 城管局".
2. **History**: which units finished appeals of the same category here (the community), and how well they were
   rated: ranked by finished count × (½ + ½ 满意率). The look-back widens from 90 days to a year when the last
   90 days hold fewer than ``MIN_HISTORY`` such appeals; the reason says which: "历史：近 90 天同类 12 件由 …
   办结，满意率 92%（11/12）".
3. **Duty**: units whose declared categories include it (``Unit.categories``), when neither says more.

Only units that may take the community's appeals (``appeals.selectors.dispatchable_units``) are suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q

from appeals.models import Appeal, Satisfaction, Status
from areas.models import Area
from categories.models import Category
from linli import clock
from triage.models import RoutingRule
from units.models import Unit

HISTORY_DAYS = (90, 365)
MIN_HISTORY = 3
FINISHED = (Status.COMPLETED, Status.CLOSED)


@dataclass(frozen=True)
class UnitGuess:
    unit: Unit
    source: str  # "rule", "history" or "duty"
    reason: str


def category_chain(category: Category) -> list[Category]:
    """The category and its ancestors, the category first."""
    chain = [category]
    while chain[-1].parent_id is not None:
        parent = chain[-1].parent
        assert parent is not None
        chain.append(parent)
    return chain


def path_name(category: Category) -> str:
    return "/".join(c.name for c in reversed(category_chain(category)))


def rule_for(category: Category, place: Area | str) -> RoutingRule | None:
    """The rule that applies to this category at this place: the most specific category, then area."""
    path = place if isinstance(place, str) else place.path
    area_ids = [int(p) for p in path.strip("/").split("/") if p]
    chain = category_chain(category)
    depth = {c.pk: i for i, c in enumerate(chain)}
    rules = list(
        RoutingRule.objects.filter(
            category_id__in=depth, area_id__in=area_ids, unit__is_active=True
        ).select_related("unit", "area", "category__parent")
    )
    if not rules:
        return None
    return min(rules, key=lambda r: (depth[r.category_id], -r.area.depth))


def _rule_reason(rule: RoutingRule, category: Category) -> str:
    covered = path_name(rule.category) if rule.category_id != category.pk else path_name(category)
    return f"规则：{covered} × {rule.area.name} → {rule.unit.name}"


def history_for(
    category: Category,
    community_id: int,
    allowed: dict[int, Unit],
    *,
    now: datetime,
    exclude: int | None = None,
) -> list[UnitGuess]:
    """Units that finished appeals of this category in this community, best first (see the module's note).
    One query: the counts of both look-backs at once."""
    good = Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
    rated = ~Q(satisfaction="")
    windows = {days: Q(completed_at__gte=now - timedelta(days=days)) for days in HISTORY_DAYS}
    counts: dict[str, Any] = {}
    for days, recent in windows.items():
        counts[f"n{days}"] = Count("pk", filter=recent)
        counts[f"rated{days}"] = Count("pk", filter=recent & rated)
        counts[f"good{days}"] = Count("pk", filter=recent & rated & good)
    query: Any = (
        Appeal.objects.filter(
            community_id=community_id,
            category_id=category.pk,
            status__in=FINISHED,
            unit_id__in=list(allowed),
            completed_at__gte=now - timedelta(days=max(HISTORY_DAYS)),
            completed_at__lt=now,
        )
        .exclude(pk=exclude or 0)
        .values("unit_id")
        .annotate(**counts)
    )
    rows: list[dict[str, Any]] = list(query)
    days = next((d for d in HISTORY_DAYS if sum(r[f"n{d}"] for r in rows) >= MIN_HISTORY), HISTORY_DAYS[-1])
    found = [
        (r["unit_id"], r[f"n{days}"], r[f"rated{days}"], r[f"good{days}"]) for r in rows if r[f"n{days}"]
    ]

    def score(row: tuple[int, int, int, int]) -> float:
        _, n, rated_n, good_n = row
        return n * (0.5 + 0.5 * (good_n / rated_n if rated_n else 0.5))

    guesses = []
    for row in sorted(found, key=lambda r: (-score(r), r[0])):
        unit_id, n, rated_n, good_n = row
        unit = allowed[unit_id]
        rate = f"满意率 {good_n / rated_n:.0%}（{good_n}/{rated_n}）" if rated_n else "尚无评价"
        guesses.append(
            UnitGuess(unit, "history", f"历史：近 {days} 天同类 {n} 件由 {unit.name} 办结，{rate}")
        )
    return guesses


def suggest_units(
    category: Category | None,
    community_id: int,
    place_path: str,
    *,
    allowed: dict[int, Unit],
    now: datetime | None = None,
    exclude: int | None = None,
    top: int = 3,
) -> list[UnitGuess]:
    """Up to ``top`` units for an appeal of this category at this place, the best first, each with its reason.
    ``allowed``: the units that may take the community's appeals, by id."""
    if category is None:
        return []
    now = now or clock.now()
    guesses: list[UnitGuess] = []
    rule = rule_for(category, place_path)
    if rule is not None and rule.unit_id in allowed:
        guesses.append(UnitGuess(rule.unit, "rule", _rule_reason(rule, category)))
    guesses += history_for(category, community_id, allowed, now=now, exclude=exclude)
    unique = _unique(guesses)
    if len(unique) < top:  # units whose duty it is: the category's own first, then its level 1's
        chain = category_chain(category)
        duty = Unit.categories.through.objects.filter(
            unit_id__in=list(allowed), category_id__in=[c.pk for c in chain]
        ).values_list("category_id", "unit_id")
        by_category: dict[int, list[int]] = {}
        for category_id, unit_id in duty:
            by_category.setdefault(category_id, []).append(unit_id)
        for node in chain:
            if node.pk in by_category:
                what = path_name(node)
                units = sorted((allowed[u] for u in by_category[node.pk]), key=lambda u: (u.kind, u.code))
                unique = _unique(
                    unique + [UnitGuess(u, "duty", f"职责：{u.name} 承办“{what}”类诉求") for u in units]
                )
                break
    return unique[:top]


def _unique(guesses: list[UnitGuess]) -> list[UnitGuess]:
    seen: set[int] = set()
    unique = []
    for guess in guesses:
        if guess.unit.pk not in seen:
            seen.add(guess.unit.pk)
            unique.append(guess)
    return unique
