"""The feasible (need, offer) pairs with their costs, found without comparing every need with every offer;
and the one function that turns an assignment into a result (the same cost formula for every method)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from needs.matching.model import (
    BEST_RATING,
    DISTANCE_EPSILON_KM,
    MatchParams,
    MatchResult,
    NeedIn,
    OfferIn,
    Pair,
    pair_cost,
    unmatched_penalty,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]
BoolArray = npt.NDArray[np.bool_]

CHUNK = 512  # needs compared at once with the offers near them (a chunk × nearby-offers cost matrix)


@dataclass
class Candidates:
    """Feasible (need, offer) pairs grouped by need: pairs of need i are [start[i], start[i + 1])."""

    start: IntArray
    need: IntArray  # need index of each pair
    offer: IntArray  # offer index of each pair
    cost: FloatArray  # base cost (k = 0) of each pair
    distance: FloatArray

    @classmethod
    def build(
        cls, n_needs: int, need: IntArray, offer: IntArray, cost: FloatArray, distance: FloatArray
    ) -> Candidates:
        """From pairs in any need order; the order of a need's pairs is kept (the sort is stable)."""
        order = np.argsort(need, kind="stable")
        need = need[order]
        start = np.zeros(n_needs + 1, dtype=np.int64)
        np.cumsum(np.bincount(need, minlength=n_needs), out=start[1:])
        return cls(start, need, offer[order], cost[order], distance[order])


def _feasible_blocks(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams, subset: Sequence[int]
) -> Iterator[tuple[IntArray, IntArray, FloatArray, BoolArray, FloatArray]]:
    """Yield (need indices, candidate offer indices, distance matrix, feasibility matrix, the part of each
    candidate's cost that does not depend on distance).

    Needs are grouped by (service type, category); each group is compared with the offers that fit it (those
    giving its service type, or listing its category when it has none), in chunks of needs near each other
    (sorted by x) against the fitting offers whose reach overlaps the chunk's bounding box. So the work is
    proportional to the pairs that fit and are near, not to needs × offers.
    """
    by_type: dict[str, list[int]] = {}
    by_leaf: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for kind in offer.service_types:
            by_type.setdefault(kind, []).append(j)
        for leaf in offer.categories:
            by_leaf.setdefault(leaf, []).append(j)
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
        groups.setdefault((needs[i].service_type, needs[i].category), []).append(i)
    for (kind, leaf), members in groups.items():
        fitting = by_type.get(kind, []) if kind else by_leaf.get(leaf, [])
        if not fitting:
            continue
        cand_all = np.array(sorted(fitting), dtype=np.int64)
        penalty_all = np.array(
            [0.0 if leaf in offers[j].categories else params.category_penalty for j in cand_all.tolist()]
        )
        gx = np.array([needs[i].x_km for i in members], dtype=np.float64)
        gy = np.array([needs[i].y_km for i in members], dtype=np.float64)
        order = np.argsort(gx, kind="stable")
        group = np.array(members, dtype=np.int64)[order]
        gx, gy = gx[order], gy[order]
        gc = np.array([community_index[needs[i].community_id] for i in group.tolist()], dtype=np.int64)
        for a in range(0, len(group), CHUNK):
            nx, ny, nc = gx[a : a + CHUNK], gy[a : a + CHUNK], gc[a : a + CHUNK]
            r = reach[cand_all]
            near = (
                (ox[cand_all] + r >= nx.min())
                & (ox[cand_all] - r <= nx.max())
                & (oy[cand_all] + r >= ny.min())
                & (oy[cand_all] - r <= ny.max())
            )
            cand = cand_all[near]
            if not len(cand):
                continue
            dist = np.hypot(nx[:, None] - ox[cand][None, :], ny[:, None] - oy[cand][None, :])
            ok = (dist <= reach[cand][None, :]) & member[cand][:, nc].T
            yield group[a : a + CHUNK], cand, dist, ok, rating_cost[cand] + penalty_all[near]


def candidates(
    needs: Sequence[NeedIn],
    offers: Sequence[OfferIn],
    params: MatchParams,
    limit: int | None,
    subset: Sequence[int] | None = None,
) -> tuple[Candidates, IntArray]:
    """The feasible pairs per need: the ``limit`` cheapest of each need, cheapest first; or all of them (in no
    particular order within a need) if ``limit`` is None.

    Only the needs in ``subset`` (indices; all if None) get pairs. Also returns the number of feasible offers
    of each need (before the limit).
    """
    parts: list[tuple[IntArray, IntArray, FloatArray, FloatArray]] = []
    feasible_count = np.zeros(len(needs), dtype=np.int64)
    chosen = range(len(needs)) if subset is None else subset
    for need_idx, cand, dist, ok, base in _feasible_blocks(needs, offers, params, chosen):
        feasible_count[need_idx] = ok.sum(axis=1)
        if limit is None:  # every feasible pair, in no particular order within a need
            rows, cols = np.nonzero(ok)
            d = dist[rows, cols]
            parts.append((need_idx[rows], cand[cols], params.distance_weight * d + base[cols], d))
            continue
        cost = params.distance_weight * dist + base[None, :]
        cost[~ok] = np.inf
        if cost.shape[1] > limit:
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
        return Candidates.build(len(needs), empty, empty, np.empty(0), np.empty(0)), feasible_count
    return (
        Candidates.build(
            len(needs),
            np.concatenate([p[0] for p in parts]).astype(np.int64),
            np.concatenate([p[1] for p in parts]).astype(np.int64),
            np.concatenate([p[2] for p in parts]),
            np.concatenate([p[3] for p in parts]),
        ),
        feasible_count,
    )


def finish(
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
