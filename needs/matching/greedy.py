"""The greedy baseline the optimiser is measured against."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np

from needs.matching.candidates import candidates, finish
from needs.matching.model import DEFAULT_PARAMS, MatchParams, MatchResult, NeedIn, OfferIn, validate


def match_greedy(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams = DEFAULT_PARAMS
) -> MatchResult:
    """Baseline: needs by priority (highest first), then in the given (arrival) order; each takes its cheapest
    feasible offer with capacity left, the cost including the provider's current fairness term."""
    started = time.perf_counter()
    validate(needs, offers, params)
    if not needs or not offers:
        return finish(needs, offers, params, {}, started, "greedy", {})
    cand, _ = candidates(needs, offers, params, None)
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
    return finish(
        needs, offers, params, assignment, started, "greedy", {"feasible_pairs": float(len(cand.offer))}
    )
