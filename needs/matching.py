"""Matching needs to offers (需求清单 × 供给清单 → 服务清单): a pure engine, no models, no database.

The caller (``needs.services``) turns Need and Offer rows into :class:`NeedIn` / :class:`OfferIn` values (places
become coordinates in a local metric frame, providers become keys such as ``"unit:12"`` or ``"person:345"``)
and gets back a :class:`MatchResult`: the proposed pairs, the needs left unmatched and the total cost.

Feasibility of a pair (need, offer) — all three must hold:

- category fit: the need's leaf category is in ``offer.categories`` (exact fit), or the need's root is in
  ``offer.roots`` (root-level fit, which costs ``same_root_penalty`` more);
- distance: the straight-line distance is at most ``offer.max_distance_km``;
- community: if ``offer.community_ids`` is not empty, the need's community is one of them.

Cost of a feasible pair, for the provider's k-th order of the round (k = 0 for the first)::

    distance_weight * km + rating_weight * (5 - rating) + same_root_penalty * [root-level fit]
        + fairness_weight * k

Leaving a need unmatched costs ``unmatched_cost + priority_weight * need.priority`` (priority is handled by
raising the unmatched cost, not by discounting pairs). The unmatched cost is far above any pair cost, so the
optimiser maximises the number of matches first; among equally large matchings the higher-priority needs are
served first (leaving a priority-2 need out costs more than leaving a priority-0 one out), and then the cost
of the pairs is minimised. Priority never outweighs a whole match as long as
``priority_weight * priority < unmatched_cost``, i.e. two ordinary needs served beat one urgent need served.

:func:`match_optimal` solves this exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``, costs scaled by
100 and rounded to integers)::

    source ─1─▶ need ─1─▶ offer ─capacity─▶ provider ═▶ sink       (k-th parallel arc: cost k·fairness)
                  └──────────── unmatched (cost unmatched_cost + priority_weight·priority) ─────────▶ sink

Each need gets arcs to its ``candidates_per_need`` (K) cheapest feasible offers only (sparsification). If the
solver then leaves a need unmatched that has feasible offers, an alternating search over *all* feasible pairs
looks for an augmenting path (unmatched need → offer → the needs holding that full offer → their offers … →
an offer with capacity left); every need on such paths gets all its feasible arcs and the flow is solved
again (at most ``MAX_ROUNDS`` rounds). So sparsification never costs a match (the result is a maximum
matching, hence never fewer than greedy); it can cost some optimality in the pair costs, because the fairness
term pushes orders beyond a need's K nearest offers. K defaults to 60: on the benchmark instance (8,300
needs, 4,200 offers, about 50 feasible offers per need) the cost above the unsparsified optimum is 11 % at
K = 25 (which also needed a second round), 1 % at K = 60, 0.04 % at K = 80, and K = 60 solved fastest
(about 1 s of CPU for the flow). The fairness term is convex
(the k-th unit through a provider's arcs costs k·fairness_weight), which the flow handles exactly: it spreads
work across providers when the costs are close. :func:`match_greedy` is the baseline: needs in priority
order (then input order, i.e. arrival), each taking its cheapest feasible offer with capacity left (cost
including the provider's current fairness term), considering every feasible offer.

Both results have ``total_cost`` computed by the same function (:func:`_finish`): the pair costs with each
provider's orders costed k = 0, 1, … plus the unmatched penalties — exactly the objective above, unrounded.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]

BEST_RATING = 5.0
COST_SCALE = 100  # min-cost flow works on integers: costs are scaled by this and rounded
DISTANCE_EPSILON_KM = 1e-9
MAX_ROUNDS = 4  # solver rounds: the first over the K cheapest arcs, then widened where matches were lost


@dataclass(frozen=True)
class NeedIn:
    id: int
    category: str  # leaf category code, e.g. "LDSB-YLFW"
    root: str  # root category code, e.g. "LDSB"
    x_km: float
    y_km: float
    community_id: int
    priority: int = 0  # higher = more urgent; served first when capacity is short


@dataclass(frozen=True)
class OfferIn:
    id: int
    provider: str  # fairness key, e.g. "unit:12" or "person:345"; one provider may have several offers
    categories: frozenset[str]  # leaf category codes it serves
    roots: frozenset[str]  # root codes it serves (a leaf fit is better than a root-level fit)
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
    same_root_penalty: float = 3.0  # category fits only at root level
    fairness_weight: float = 0.5  # the k-th order of a provider (k = 0, 1, …) costs k * fairness_weight more
    candidates_per_need: int = (
        60  # sparsification: arcs to the K cheapest feasible offers per need (see above)
    )
    unmatched_cost: float = 1000.0  # cost of leaving a need unmatched (so maximum matching comes first)
    priority_weight: float = 100.0  # leaving a need unmatched costs this much more per priority level


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
    stats: dict[str, float] = field(default_factory=dict)  # diagnostics (arcs, candidates, solver rounds)


# ---- validation ---------------------------------------------------------------------------------------------
def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def validate(needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams) -> None:
    """Raise ValueError with a clear message for input the engine cannot match; return None if all is well."""
    for name in (
        "distance_weight",
        "rating_weight",
        "same_root_penalty",
        "fairness_weight",
        "unmatched_cost",
        "priority_weight",
    ):
        value = getattr(params, name)
        if not _finite(value) or value < 0:
            raise ValueError(f"MatchParams.{name} must be a finite number >= 0, got {value!r}")
    if not isinstance(params.candidates_per_need, int) or params.candidates_per_need < 1:
        raise ValueError(
            f"MatchParams.candidates_per_need must be an integer >= 1, got {params.candidates_per_need!r}"
        )

    seen_needs: set[int] = set()
    for need in needs:
        if need.id in seen_needs:
            raise ValueError(f"need {need.id}: duplicate need id")
        seen_needs.add(need.id)
        if not need.category or not need.root:
            raise ValueError(f"need {need.id}: has no category (leaf {need.category!r}, root {need.root!r})")
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
        if not offer.categories and not offer.roots:
            raise ValueError(f"offer {offer.id}: serves no category (categories and roots are both empty)")
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


# ---- costs --------------------------------------------------------------------------------------------------
def pair_cost(need: NeedIn, offer: OfferIn, params: MatchParams = MatchParams(), k: int = 0) -> float | None:
    """Cost of giving ``need`` to ``offer`` as the provider's k-th order of the round; None if infeasible."""
    if need.category in offer.categories:
        penalty = 0.0
    elif need.root in offer.roots:
        penalty = params.same_root_penalty
    else:
        return None
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


@dataclass
class _Candidates:
    """Feasible (need, offer) pairs sorted by need, then by cost: pairs of need i are [start[i], start[i + 1])."""

    start: IntArray
    need: IntArray  # need index of each pair
    offer: IntArray  # offer index of each pair
    cost: FloatArray  # base cost (k = 0) of each pair
    distance: FloatArray

    @classmethod
    def build(
        cls, n_needs: int, need: IntArray, offer: IntArray, cost: FloatArray, distance: FloatArray
    ) -> _Candidates:
        """From pairs grouped in any need order but cheapest first within each need (the sort is stable)."""
        order = np.argsort(need, kind="stable")
        need = need[order]
        start = np.zeros(n_needs + 1, dtype=np.int64)
        np.cumsum(np.bincount(need, minlength=n_needs), out=start[1:])
        return cls(start, need, offer[order], cost[order], distance[order])


def _feasible_blocks(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams, subset: Sequence[int]
) -> Iterator[tuple[IntArray, IntArray, FloatArray, FloatArray]]:
    """Yield (need indices, candidate offer indices, cost matrix with inf where infeasible, distance matrix).

    Needs are grouped by (leaf, root); each group is compared at once (numpy) with the offers that fit its
    leaf or its root, so the work is proportional to the category-compatible pairs, not to needs × offers.
    """
    by_leaf: dict[str, list[int]] = {}
    by_root: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for leaf in offer.categories:
            by_leaf.setdefault(leaf, []).append(j)
        for root in offer.roots:
            by_root.setdefault(root, []).append(j)
    ox = np.array([o.x_km for o in offers], dtype=np.float64)
    oy = np.array([o.y_km for o in offers], dtype=np.float64)
    reach = np.array([o.max_distance_km for o in offers], dtype=np.float64) + DISTANCE_EPSILON_KM
    rating_cost = params.rating_weight * (
        BEST_RATING - np.array([o.rating for o in offers], dtype=np.float64)
    )
    # Community membership as a matrix over the communities the needs are in: member[offer, community];
    # an offer that lists no communities serves them all.
    community_index = {c: q for q, c in enumerate(sorted({needs[i].community_id for i in subset}))}
    member = np.zeros((len(offers), len(community_index)), dtype=bool)
    for j, offer in enumerate(offers):
        if not offer.community_ids:
            member[j, :] = True
        else:
            for c in offer.community_ids:
                q = community_index.get(c)
                if q is not None:
                    member[j, q] = True

    groups: dict[tuple[str, str], list[int]] = {}
    for i in subset:
        groups.setdefault((needs[i].category, needs[i].root), []).append(i)
    for (leaf, root), members in groups.items():
        leaf_fit = set(by_leaf.get(leaf, ()))
        cand_set = leaf_fit | set(by_root.get(root, ()))
        if not cand_set:
            continue
        need_idx = np.array(members, dtype=np.int64)
        cand = np.array(sorted(cand_set), dtype=np.int64)
        nx = np.array([needs[i].x_km for i in members], dtype=np.float64)
        ny = np.array([needs[i].y_km for i in members], dtype=np.float64)
        dist = np.hypot(nx[:, None] - ox[cand][None, :], ny[:, None] - oy[cand][None, :])
        penalty = np.array([0.0 if j in leaf_fit else params.same_root_penalty for j in cand.tolist()])
        cost = params.distance_weight * dist + (rating_cost[cand] + penalty)[None, :]
        ok = dist <= reach[cand][None, :]
        need_community = np.array([community_index[needs[i].community_id] for i in members], dtype=np.int64)
        ok &= member[cand][:, need_community].T
        cost[~ok] = np.inf
        yield need_idx, cand, cost, dist


def _candidates(
    needs: Sequence[NeedIn],
    offers: Sequence[OfferIn],
    params: MatchParams,
    limit: int | None,
    subset: Sequence[int] | None = None,
) -> tuple[_Candidates, IntArray]:
    """The feasible pairs per need, the ``limit`` cheapest of each need only (all if None), cheapest first.

    Only the needs in ``subset`` (indices; all if None) get pairs. Also returns the number of feasible offers
    of each need (before the limit).
    """
    parts: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    feasible_count = np.zeros(len(needs), dtype=np.int64)
    chosen = range(len(needs)) if subset is None else subset
    for need_idx, cand, cost, dist in _feasible_blocks(needs, offers, params, chosen):
        finite = np.isfinite(cost)
        feasible_count[need_idx] = finite.sum(axis=1)
        if limit is not None and cost.shape[1] > limit:
            top = np.argpartition(cost, limit - 1, axis=1)[:, :limit]
        else:
            top = np.broadcast_to(np.arange(cost.shape[1]), cost.shape)
        top_cost = np.take_along_axis(cost, top, axis=1)
        order = np.argsort(top_cost, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        top_cost = np.take_along_axis(top_cost, order, axis=1)
        keep = np.isfinite(top_cost)
        parts.append(
            (
                np.broadcast_to(need_idx[:, None], top.shape)[keep],
                cand[top[keep]],
                top_cost[keep],
                np.take_along_axis(dist, top, axis=1)[keep],
            )
        )
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return _Candidates.build(len(needs), empty, empty, np.empty(0), np.empty(0)), feasible_count
    return (
        _Candidates.build(
            len(needs),
            np.concatenate([p[0] for p in parts]).astype(np.int64),
            np.concatenate([p[1] for p in parts]).astype(np.int64),
            np.concatenate([p[2] for p in parts]),
            np.concatenate([p[3] for p in parts]),
        ),
        feasible_count,
    )


def _finish(
    needs: Sequence[NeedIn],
    offers: Sequence[OfferIn],
    params: MatchParams,
    assignment: dict[int, int],
    started: float,
    method: str,
    stats: dict[str, float],
) -> MatchResult:
    """Build the result from {need index: offer index}; the same cost formula for every method.

    Each provider's orders are ranked k = 0, 1, … by base cost (cheapest first) for the fairness term; the
    total of the fairness terms depends only on how many orders each provider has.
    """
    per_provider: dict[str, list[tuple[float, int, int, float]]] = {}
    for i, j in assignment.items():
        need, offer = needs[i], offers[j]
        base = pair_cost(need, offer, params)
        if base is None:  # pragma: no cover - the methods only assign feasible pairs
            raise AssertionError(f"infeasible pair need {need.id} → offer {offer.id}")
        distance = math.hypot(need.x_km - offer.x_km, need.y_km - offer.y_km)
        per_provider.setdefault(offer.provider, []).append((base, i, j, distance))
    pairs: list[Pair] = []
    total = 0.0
    for items in per_provider.values():
        items.sort()
        for k, (base, i, j, distance) in enumerate(items):
            cost = base + params.fairness_weight * k
            pairs.append(Pair(need_id=needs[i].id, offer_id=offers[j].id, cost=cost, distance_km=distance))
            total += cost
    pairs.sort(key=lambda p: p.need_id)
    unmatched = [need.id for i, need in enumerate(needs) if i not in assignment]
    total += sum(unmatched_penalty(needs[i], params) for i in range(len(needs)) if i not in assignment)
    return MatchResult(
        pairs=pairs,
        unmatched=unmatched,
        total_cost=total,
        seconds=time.perf_counter() - started,
        method=method,
        stats=stats,
    )


# ---- the optimiser ------------------------------------------------------------------------------------------
def _solve_flow(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams, cand: _Candidates
) -> tuple[dict[int, int], int]:
    """Min-cost flow over the candidate arcs; returns ({need index: offer index}, number of arcs)."""
    from ortools.graph.python import min_cost_flow

    n, m = len(needs), len(offers)
    providers = sorted({o.provider for o in offers})
    provider_index = {p: q for q, p in enumerate(providers)}
    source, sink = 0, 1
    need_node = 2
    offer_node = need_node + n
    provider_node = offer_node + m

    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    costs: list[IntArray] = []

    def arcs(tail: AnyArray, head: AnyArray, cap: AnyArray, cost: AnyArray) -> None:
        tails.append(tail.astype(np.int32))
        heads.append(head.astype(np.int32))
        caps.append(cap.astype(np.int64))
        costs.append(cost.astype(np.int64))

    need_ids = np.arange(n, dtype=np.int64)
    # source → need (one unit each) and need → sink (unmatched).
    arcs(np.full(n, source), need_node + need_ids, np.ones(n), np.zeros(n))
    penalty = np.array([unmatched_penalty(need, params) for need in needs], dtype=np.float64)
    arcs(need_node + need_ids, np.full(n, sink), np.ones(n), np.rint(penalty * COST_SCALE))
    # need → offer: the candidate arcs (first block of pair arcs: remembered for reading the flow back).
    pair_tail = cand.need
    first_pair_arc = 2 * n
    arcs(
        need_node + pair_tail,
        offer_node + cand.offer,
        np.ones(len(cand.offer)),
        np.rint(cand.cost * COST_SCALE),
    )
    # offer → provider, up to the offer's capacity (only offers that some need can reach).
    used_offers = np.unique(cand.offer)
    capacity = np.array([offers[j].capacity for j in used_offers.tolist()], dtype=np.int64)
    owner = np.array([provider_index[offers[j].provider] for j in used_offers.tolist()], dtype=np.int64)
    arcs(offer_node + used_offers, provider_node + owner, capacity, np.zeros(len(used_offers)))
    # provider → sink: parallel unit arcs, the k-th costing k·fairness (convex), as many as can be used.
    reachable_capacity = np.bincount(owner, weights=capacity, minlength=len(providers)).astype(np.int64)
    demand_on_offer = np.bincount(cand.offer, minlength=m)[used_offers]
    demand = np.bincount(owner, weights=np.minimum(demand_on_offer, capacity), minlength=len(providers))
    units = np.minimum(reachable_capacity, demand.astype(np.int64))
    if params.fairness_weight > 0:
        prov = np.repeat(np.arange(len(providers), dtype=np.int64), units)
        offsets = np.cumsum(units) - units
        k = np.arange(int(units.sum()), dtype=np.int64) - np.repeat(offsets, units)
        arcs(
            provider_node + prov,
            np.full(len(prov), sink),
            np.ones(len(prov)),
            np.rint(k * params.fairness_weight * COST_SCALE),
        )
    else:
        live = np.nonzero(units)[0]
        arcs(provider_node + live, np.full(len(live), sink), units[live], np.zeros(len(live)))

    flow = min_cost_flow.SimpleMinCostFlow()
    all_tails = np.concatenate(tails)
    flow.add_arcs_with_capacity_and_unit_cost(
        all_tails, np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - every need has an unmatched arc, so a flow always exists
        raise RuntimeError(f"min-cost flow failed with status {status}")
    pair_arcs = np.arange(first_pair_arc, first_pair_arc + len(cand.offer), dtype=np.int32)
    used = np.nonzero(flow.flows(pair_arcs))[0] if len(pair_arcs) else np.empty(0, np.int64)
    return {int(pair_tail[a]): int(cand.offer[a]) for a in used.tolist()}, len(all_tails)


def _merge_full(limited: _Candidates, full: _Candidates, widen: set[int]) -> _Candidates:
    """The limited pairs of every need not in ``widen`` and all feasible pairs of the needs in ``widen``."""
    widened = np.zeros(len(limited.start) - 1, dtype=bool)
    widened[sorted(widen)] = True
    a = ~widened[limited.need]
    b = widened[full.need]
    return _Candidates.build(
        len(widened),
        np.concatenate([limited.need[a], full.need[b]]),
        np.concatenate([limited.offer[a], full.offer[b]]),
        np.concatenate([limited.cost[a], full.cost[b]]),
        np.concatenate([limited.distance[a], full.distance[b]]),
    )


def _augmenting_region(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], assignment: dict[int, int], full: _Candidates
) -> set[int]:
    """The needs on alternating paths (over every feasible pair) from the unmatched needs to an offer with
    capacity left; empty if there is no such path, i.e. if no larger matching exists.

    Breadth-first from the unmatched needs: need → any feasible offer; a full offer → the needs assigned
    to it. Giving all these needs all their feasible arcs lets the flow find any augmenting path.
    """
    holders: dict[int, list[int]] = {}
    for i, j in assignment.items():
        holders.setdefault(j, []).append(i)
    frontier = [i for i in range(len(needs)) if i not in assignment and full.start[i + 1] > full.start[i]]
    region = set(frontier)
    seen_offers: set[int] = set()
    augmenting = False
    while frontier:
        following: list[int] = []
        for i in frontier:
            for j in full.offer[full.start[i] : full.start[i + 1]].tolist():
                if j in seen_offers:
                    continue
                seen_offers.add(j)
                taken = holders.get(j, [])
                if len(taken) < offers[j].capacity:
                    augmenting = True
                    continue
                for v in taken:
                    if v not in region:
                        region.add(v)
                        following.append(v)
        frontier = following
    return region if augmenting else set()


def match_optimal(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams = MatchParams()
) -> MatchResult:
    """Optimal matching by min-cost flow (see the module docstring); raises ValueError on bad input.

    ``stats`` tells the feasible pairs, the candidate arcs, the flow's arcs, the solver rounds, the needs
    widened in the second round, and the CPU seconds spent building candidates and solving.
    """
    started = time.perf_counter()
    validate(needs, offers, params)
    stats: dict[str, float] = {"rounds": 0}
    if not needs or not offers:
        return _finish(needs, offers, params, {}, started, "min_cost_flow", stats)
    clock = time.process_time()
    cand, feasible_count = _candidates(needs, offers, params, params.candidates_per_need)
    stats["candidates_cpu"] = time.process_time() - clock
    stats["feasible_pairs"] = float(feasible_count.sum())
    stats["candidate_arcs"] = float(len(cand.offer))
    assignment: dict[int, int] = {}
    if len(cand.offer):
        clock = time.process_time()
        limited = cand
        full: _Candidates | None = None
        widened: set[int] = set()
        for rounds in range(1, MAX_ROUNDS + 1):
            assignment, arc_count = _solve_flow(needs, offers, params, cand)
            stats["rounds"], stats["arcs"] = rounds, arc_count
            if all(i in assignment or feasible_count[i] == 0 for i in range(len(needs))):
                break  # every need that can be matched is
            if full is None:
                full, _ = _candidates(needs, offers, params, None)
            more = _augmenting_region(needs, offers, assignment, full) - widened
            if not more:
                break  # no augmenting path through arcs left out: the matching is as large as it can be
            widened |= more
            cand = _merge_full(limited, full, widened)
        stats["widened_needs"] = len(widened)
        stats["solve_cpu"] = time.process_time() - clock
    return _finish(needs, offers, params, assignment, started, "min_cost_flow", stats)


# ---- the greedy baseline ------------------------------------------------------------------------------------
def match_greedy(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams = MatchParams()
) -> MatchResult:
    """Baseline: needs by priority (highest first), then in the given (arrival) order; each takes its cheapest
    feasible offer with capacity left, the cost including the provider's current fairness term."""
    started = time.perf_counter()
    validate(needs, offers, params)
    if not needs or not offers:
        return _finish(needs, offers, params, {}, started, "greedy", {})
    cand, _ = _candidates(needs, offers, params, None)
    providers = {p: q for q, p in enumerate(sorted({o.provider for o in offers}))}
    owner = np.array([providers[o.provider] for o in offers], dtype=np.int64)
    remaining = np.array([o.capacity for o in offers], dtype=np.int64)
    load = np.zeros(len(providers), dtype=np.float64)
    order = sorted(range(len(needs)), key=lambda i: (-needs[i].priority, i))
    assignment: dict[int, int] = {}
    for i in order:
        a, b = cand.start[i], cand.start[i + 1]
        if a == b:
            continue
        js = cand.offer[a:b]
        effective = cand.cost[a:b] + params.fairness_weight * load[owner[js]]
        effective = np.where(remaining[js] > 0, effective, np.inf)
        best = int(np.argmin(effective))
        if not math.isfinite(effective[best]):
            continue
        j = int(js[best])
        assignment[i] = j
        remaining[j] -= 1
        load[owner[j]] += 1
    return _finish(
        needs, offers, params, assignment, started, "greedy", {"feasible_pairs": float(len(cand.offer))}
    )


# ---- checking a result --------------------------------------------------------------------------------------
def check_capacities(
    result: MatchResult, offers: Sequence[OfferIn], needs: Sequence[NeedIn] | None = None
) -> int:
    """Count what is wrong with a result (0 = sound), without trusting the method that produced it.

    Counted: each order beyond an offer's capacity, each pair naming an unknown offer, each repeated need.
    With ``needs`` also: each pair naming an unknown need, each infeasible pair (category, distance,
    community), and each need neither paired nor listed as unmatched (or both).
    """
    offer_by_id = {o.id: o for o in offers}
    used: dict[int, int] = {}
    seen: set[int] = set()
    problems = 0
    for pair in result.pairs:
        if pair.need_id in seen:
            problems += 1
        seen.add(pair.need_id)
        if pair.offer_id not in offer_by_id:
            problems += 1
            continue
        used[pair.offer_id] = used.get(pair.offer_id, 0) + 1
    problems += sum(max(0, count - offer_by_id[j].capacity) for j, count in used.items())
    if needs is not None:
        need_by_id = {n.id: n for n in needs}
        for pair in result.pairs:
            need, offer = need_by_id.get(pair.need_id), offer_by_id.get(pair.offer_id)
            if need is None:
                problems += 1
            elif offer is not None and pair_cost(need, offer) is None:
                problems += 1
        unmatched = set(result.unmatched)
        problems += sum(1 for n in needs if (n.id in seen) == (n.id in unmatched))
    return problems
