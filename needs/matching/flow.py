"""The optimiser: min-cost flow (OR-Tools ``SimpleMinCostFlow``) over the feasible pairs, solved separately on
the connected parts of the graph; see the package docstring for the model and why the split keeps it optimal."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from needs.matching.candidates import AnyArray, Candidates, FloatArray, IntArray, candidates, finish
from needs.matching.model import (
    DEFAULT_PARAMS,
    MatchParams,
    MatchResult,
    NeedIn,
    OfferIn,
    unmatched_penalty,
    validate,
)

COST_SCALE = 100  # min-cost flow works on integers: costs are scaled by this and rounded
MAX_ROUNDS = 4  # solver rounds when sparsified: the first over the K cheapest arcs, then widened
ARCS_PER_SOLVE = 60_000  # whole components are packed into solves of about this many pair arcs
PARALLEL_ARCS = 1_000_000  # from this many pair arcs on, the solves run in worker processes
MAX_WORKERS = 4

# The packs of the solve under way, for forked workers: they inherit the arrays instead of receiving a pickled
# copy of every pack (hundreds of MB for a city). Set only in the parent, just before the pool forks.
_PACKS: list[tuple] = []


def _flow_pack(index: int) -> tuple[IntArray, IntArray, int]:
    return _flow(*_PACKS[index])


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it (the workers only compute: no database, no threads of their own), else a
    fresh interpreter (spawn), which then gets each pack pickled."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _components(cand: Candidates, owner: IntArray) -> tuple[IntArray, int]:
    """The connected part of each pair in the graph whose nodes are needs and providers, joined by each pair
    (need — the provider of the offer; ``owner`` is each offer's provider index). Returns (component label of
    each pair, number of components that hold pairs)."""
    # scipy is imported here, in the caller only: a worker process that unpickles ``_flow`` need not load it
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(cand.offer):
        return np.empty(0, dtype=np.int64), 0
    n = len(cand.start) - 1
    size = n + int(owner.max()) + 1
    graph = coo_matrix(
        (np.ones(len(cand.need), dtype=np.int8), (cand.need, n + owner[cand.offer])), shape=(size, size)
    )
    _, labels = connected_components(graph, directed=False)
    parts, compact = np.unique(labels[cand.need], return_inverse=True)  # only the parts that hold pairs
    return compact.astype(np.int64), len(parts)


def _flow(
    pair_need: IntArray,
    pair_offer: IntArray,
    pair_cost: FloatArray,
    penalty: FloatArray,
    capacity: IntArray,
    owner: IntArray,
    fairness: float,
) -> tuple[IntArray, IntArray, int]:
    """Min-cost flow over some pairs (need index, offer index, cost), which must hold whole components;
    ``penalty`` is indexed by need, ``capacity`` and ``owner`` (provider index) by offer. Returns the needs
    and offers of the pairs used, and the number of arcs. Plain arrays only, so it can run in a worker."""
    from ortools.graph.python import min_cost_flow

    need_ids, need_local = np.unique(pair_need, return_inverse=True)
    offer_ids, offer_local = np.unique(pair_offer, return_inverse=True)
    provider_ids, offer_owner = np.unique(owner[offer_ids], return_inverse=True)
    n, m, q = len(need_ids), len(offer_ids), len(provider_ids)
    source, sink, need_node, offer_node = 0, 1, 2, 2 + n
    provider_node = offer_node + m

    tails: list[AnyArray] = []
    heads: list[AnyArray] = []
    caps: list[AnyArray] = []
    costs: list[AnyArray] = []

    def add(tail: AnyArray, head: AnyArray, cap: AnyArray, cost: AnyArray) -> None:
        tails.append(tail.astype(np.int32))
        heads.append(head.astype(np.int32))
        caps.append(cap.astype(np.int64))
        costs.append(cost.astype(np.int64))

    local = np.arange(n, dtype=np.int64)
    # source → need (one unit each) and need → sink (unmatched).
    add(np.full(n, source), need_node + local, np.ones(n), np.zeros(n))
    add(need_node + local, np.full(n, sink), np.ones(n), np.rint(penalty[need_ids] * COST_SCALE))
    # need → offer: the pairs (remembered for reading the flow back).
    first_pair_arc = 2 * n
    add(
        need_node + need_local,
        offer_node + offer_local,
        np.ones(len(pair_need)),
        np.rint(pair_cost * COST_SCALE),
    )
    # offer → provider, up to the offer's capacity.
    cap = capacity[offer_ids]
    add(offer_node + np.arange(m), provider_node + offer_owner, cap, np.zeros(m))
    # provider → sink: parallel unit arcs, the k-th costing k·fairness (convex), as many as can be used.
    demand_on_offer = np.minimum(np.bincount(offer_local, minlength=m), cap)
    units = np.bincount(offer_owner, weights=demand_on_offer, minlength=q).astype(np.int64)
    if fairness > 0:
        prov = np.repeat(np.arange(q, dtype=np.int64), units)
        offsets = np.cumsum(units) - units
        k = np.arange(int(units.sum()), dtype=np.int64) - np.repeat(offsets, units)
        add(
            provider_node + prov,
            np.full(len(prov), sink),
            np.ones(len(prov)),
            np.rint(k * fairness * COST_SCALE),
        )
    else:
        live = np.nonzero(units)[0]
        add(provider_node + live, np.full(len(live), sink), units[live], np.zeros(len(live)))

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
    pair_arcs = np.arange(first_pair_arc, first_pair_arc + len(pair_need), dtype=np.int32)
    used = np.nonzero(flow.flows(pair_arcs))[0]
    return pair_need[used], pair_offer[used], len(all_tails)


def _workers(total_arcs: int, packs: int) -> int:
    if total_arcs < PARALLEL_ARCS or packs < 2:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, packs, MAX_WORKERS))


def _solve(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams, cand: Candidates
) -> tuple[dict[int, int], dict[str, float]]:
    """Solve every connected component of the pairs' graph on its own, packed into solves of about
    ``ARCS_PER_SOLVE`` pair arcs; large instances solve their packs in worker processes (the packs share
    nothing). Returns the assignment and stats (components, solves, arcs, workers)."""
    providers = {p: q for q, p in enumerate(sorted({o.provider for o in offers}))}
    owner = np.array([providers[o.provider] for o in offers], dtype=np.int64)
    capacity = np.array([o.capacity for o in offers], dtype=np.int64)
    penalty = np.array([unmatched_penalty(need, params) for need in needs], dtype=np.float64)
    labels, count = _components(cand, owner)
    stats = {"components": float(count), "solves": 0.0, "arcs": 0.0, "workers": 1.0}
    if not count:
        return {}, stats
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    packs: list[IntArray] = []
    first = 0
    for c in range(1, count + 1):
        if c == count or bounds[c] - bounds[first] >= ARCS_PER_SOLVE:
            packs.append(order[bounds[first] : bounds[c]])
            first = c
    jobs = [
        (cand.need[a], cand.offer[a], cand.cost[a], penalty, capacity, owner, params.fairness_weight)
        for a in sorted(packs, key=len, reverse=True)  # the largest first, for the workers
    ]
    workers = _workers(len(cand.offer), len(jobs))
    if workers > 1:
        context = _pool_context()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            if context.get_start_method() == "fork":
                _PACKS[:] = jobs
                try:
                    results = list(pool.map(_flow_pack, range(len(jobs))))
                finally:
                    _PACKS.clear()
            else:
                results = list(pool.map(_flow, *zip(*jobs, strict=True)))
    else:
        results = [_flow(*job) for job in jobs]
    assignment: dict[int, int] = {}
    for used_needs, used_offers, arc_count in results:
        assignment.update(zip(used_needs.tolist(), used_offers.tolist(), strict=True))
        stats["arcs"] += arc_count
    stats["solves"], stats["workers"] = float(len(jobs)), float(workers)
    return assignment, stats


def _merge_full(limited: Candidates, full: Candidates, widen: set[int]) -> Candidates:
    """The limited pairs of every need not in ``widen`` and all feasible pairs of the needs in ``widen``."""
    widened = np.zeros(len(limited.start) - 1, dtype=bool)
    widened[sorted(widen)] = True
    a = ~widened[limited.need]
    b = widened[full.need]
    return Candidates.build(
        len(widened),
        np.concatenate([limited.need[a], full.need[b]]),
        np.concatenate([limited.offer[a], full.offer[b]]),
        np.concatenate([limited.cost[a], full.cost[b]]),
        np.concatenate([limited.distance[a], full.distance[b]]),
    )


def _augmenting_region(
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], assignment: dict[int, int], full: Candidates
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
    needs: Sequence[NeedIn], offers: Sequence[OfferIn], params: MatchParams = DEFAULT_PARAMS
) -> MatchResult:
    """Optimal matching by min-cost flow (see the package docstring); raises ValueError on bad input.

    ``stats`` tells the feasible pairs, the candidate arcs, the components and solves, the flow's arcs, the
    solver rounds, the needs widened after the first round, and the CPU seconds spent on candidates and solving.
    """
    started = time.perf_counter()
    validate(needs, offers, params)
    stats: dict[str, float] = {"rounds": 0}
    if not needs or not offers:
        return finish(needs, offers, params, {}, started, "min_cost_flow", stats)
    clock = time.process_time()
    limit = params.candidates_per_need
    cand, feasible_count = candidates(needs, offers, params, limit)
    stats["candidates_cpu"] = time.process_time() - clock
    stats["feasible_pairs"] = float(feasible_count.sum())
    stats["candidate_arcs"] = float(len(cand.offer))
    assignment: dict[int, int] = {}
    if len(cand.offer):
        clock = time.process_time()
        limited = cand
        full: Candidates | None = cand if limit is None else None
        widened: set[int] = set()
        for rounds in range(1, MAX_ROUNDS + 1):
            assignment, solved = _solve(needs, offers, params, cand)
            stats.update(solved)
            stats["rounds"] = rounds
            if limit is None or all(i in assignment or feasible_count[i] == 0 for i in range(len(needs))):
                break  # every arc was there, or every need that can be matched is
            if full is None:
                full, _ = candidates(needs, offers, params, None)
            more = _augmenting_region(needs, offers, assignment, full) - widened
            if not more:
                break  # no augmenting path through arcs left out: the matching is as large as it can be
            widened |= more
            cand = _merge_full(limited, full, widened)
        stats["widened_needs"] = len(widened)
        stats["solve_cpu"] = time.process_time() - clock
    return finish(needs, offers, params, assignment, started, "min_cost_flow", stats)
