"""The values the matching engine works on, the fit rule, the cost of a pair and the checks on input."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

BEST_RATING = 5.0
DISTANCE_EPSILON_KM = 1e-9


@dataclass(frozen=True)
class NeedIn:
    id: int
    category: str  # leaf category code, e.g. "CXJS-LLJF"
    service_type: str  # the kind of help wanted, e.g. "legal"; "" = none given (the category must fit)
    x_km: float
    y_km: float
    community_id: int
    priority: int = 0  # higher = more urgent; served first when capacity is short


@dataclass(frozen=True)
class OfferIn:
    id: int
    provider: str  # fairness key, e.g. "unit:12" or "person:345"; one provider may have several offers
    categories: frozenset[str]  # leaf category codes it serves
    service_types: frozenset[str]  # the kinds of help it gives, e.g. {"legal"}
    x_km: float
    y_km: float
    capacity: int  # orders it can take in the round; >= 1
    max_distance_km: float  # how far the provider goes
    rating: float  # 0..5 average rating (5 = best); the caller gives new providers a neutral value
    community_ids: frozenset[int] = frozenset()  # communities it is registered with (empty = any)


@dataclass(frozen=True)
class MatchParams:
    distance_weight: float = 1.0  # cost per km
    rating_weight: float = 2.0  # cost per rating point below 5
    category_penalty: float = 3.0  # the service type fits but the offer does not list the need's category
    fairness_weight: float = 0.5  # the k-th order of a provider (k = 0, 1, …) costs k * fairness_weight more
    # Sparsification: arcs to the K cheapest feasible offers per need only (None = every feasible arc, which
    # makes the result exactly optimal; see the package docstring).
    candidates_per_need: int | None = None
    unmatched_cost: float = 1000.0  # cost of leaving a need unmatched (so maximum matching comes first)
    priority_weight: float = 100.0  # leaving a need unmatched costs this much more per priority level


DEFAULT_PARAMS = MatchParams()


@dataclass
class Pair:
    need_id: int
    offer_id: int
    cost: float  # pair cost including the fairness term of its rank k among the provider's orders
    distance_km: float


@dataclass
class MatchResult:
    pairs: list[Pair]
    unmatched: list[int]  # need ids
    total_cost: float  # sum of pair costs + unmatched penalties (same formula for every method)
    seconds: float
    method: str  # "min_cost_flow" or "greedy"
    stats: dict[str, float] = field(default_factory=dict)  # diagnostics (arcs, components, solver rounds)


# ---- validation ---------------------------------------------------------------------------------------------
def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def validate(needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams) -> None:
    """Raise ValueError with a clear message for input the engine cannot match; return None if all is well."""
    for name in (
        "distance_weight",
        "rating_weight",
        "category_penalty",
        "fairness_weight",
        "unmatched_cost",
        "priority_weight",
    ):
        value = getattr(params, name)
        if not _finite(value) or value < 0:
            raise ValueError(f"MatchParams.{name} must be a finite number >= 0, got {value!r}")
    k = params.candidates_per_need
    if k is not None and (not isinstance(k, int) or k < 1):
        raise ValueError(f"MatchParams.candidates_per_need must be None or an integer >= 1, got {k!r}")

    seen_needs: set[int] = set()
    for need in needs:
        if need.id in seen_needs:
            raise ValueError(f"need {need.id}: duplicate need id")
        seen_needs.add(need.id)
        if not need.category:
            raise ValueError(f"need {need.id}: has no category")
        if not (_finite(need.x_km) and _finite(need.y_km)):
            raise ValueError(
                f"need {need.id}: coordinates must be finite numbers, got ({need.x_km!r}, {need.y_km!r})"
            )
        if not isinstance(need.priority, int) or need.priority < 0:
            raise ValueError(f"need {need.id}: priority must be an integer >= 0, got {need.priority!r}")

    seen_offers: set[int] = set()
    for offer in offers:
        if offer.id in seen_offers:
            raise ValueError(f"offer {offer.id}: duplicate offer id")
        seen_offers.add(offer.id)
        if not isinstance(offer.capacity, int) or offer.capacity < 1:
            raise ValueError(f"offer {offer.id}: capacity must be an integer >= 1, got {offer.capacity!r}")
        if not offer.provider:
            raise ValueError(f"offer {offer.id}: has no provider key")
        if not offer.categories and not offer.service_types:
            raise ValueError(f"offer {offer.id}: serves nothing (no categories and no service types)")
        if not (_finite(offer.x_km) and _finite(offer.y_km)):
            raise ValueError(
                f"offer {offer.id}: coordinates must be finite numbers, got ({offer.x_km!r}, {offer.y_km!r})"
            )
        if not _finite(offer.max_distance_km) or offer.max_distance_km < 0:
            raise ValueError(
                f"offer {offer.id}: max_distance_km must be a finite number >= 0, got {offer.max_distance_km!r}"
            )
        if not _finite(offer.rating) or not 0 <= offer.rating <= BEST_RATING:
            raise ValueError(f"offer {offer.id}: rating must be between 0 and 5, got {offer.rating!r}")


# ---- fit and costs ------------------------------------------------------------------------------------------
def fits(need: NeedIn, offer: OfferIn) -> bool:
    """The hard constraint of what an offer can serve: the need's service type is one the offer gives; a need
    without a service type needs an offer that lists its (leaf) category."""
    if need.service_type:
        return need.service_type in offer.service_types
    return need.category in offer.categories


def pair_cost(need: NeedIn, offer: OfferIn, params: MatchParams = MatchParams(), k: int = 0) -> float | None:
    """Cost of giving ``need`` to ``offer`` as the provider's k-th order of the round; None if infeasible."""
    if not fits(need, offer):
        return None
    penalty = 0.0 if need.category in offer.categories else params.category_penalty
    if offer.community_ids and need.community_id not in offer.community_ids:
        return None
    distance = math.hypot(need.x_km - offer.x_km, need.y_km - offer.y_km)
    if distance > offer.max_distance_km + DISTANCE_EPSILON_KM:
        return None
    return (
        params.distance_weight * distance
        + params.rating_weight * (BEST_RATING - offer.rating)
        + penalty
        + params.fairness_weight * k
    )


def unmatched_penalty(need: NeedIn, params: MatchParams) -> float:
    return params.unmatched_cost + params.priority_weight * need.priority
