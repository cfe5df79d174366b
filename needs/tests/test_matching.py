"""The matching engine (needs.matching): pure functions, no database."""

from __future__ import annotations

import math
import random

import pytest

from needs.matching import (
    MatchParams,
    MatchResult,
    NeedIn,
    OfferIn,
    Pair,
    check_capacities,
    match_greedy,
    match_optimal,
    pair_cost,
)

LEAF = "LDSB-YLFW"
METHODS = [match_optimal, match_greedy]


def need(
    id: int,
    x: float = 0.0,
    y: float = 0.0,
    *,
    leaf: str = LEAF,
    kind: str = "",
    community: int = 1,
    priority: int = 0,
) -> NeedIn:
    return NeedIn(
        id=id,
        category=leaf,
        service_type=kind,
        x_km=x,
        y_km=y,
        community_id=community,
        priority=priority,
    )


def offer(
    id: int,
    x: float = 0.0,
    y: float = 0.0,
    *,
    provider: str | None = None,
    leaves: tuple[str, ...] = (LEAF,),
    kinds: tuple[str, ...] = (),
    capacity: int = 1,
    reach: float = 5.0,
    rating: float = 5.0,
    communities: tuple[int, ...] = (),
) -> OfferIn:
    return OfferIn(
        id=id,
        provider=provider or f"person:{id}",
        categories=frozenset(leaves),
        service_types=frozenset(kinds),
        x_km=x,
        y_km=y,
        capacity=capacity,
        max_distance_km=reach,
        rating=rating,
        community_ids=frozenset(communities),
    )


def assigned(result: MatchResult) -> dict[int, int]:
    return {p.need_id: p.offer_id for p in result.pairs}


# ---- costs and feasibility ----------------------------------------------------------------------------------
def test_pair_cost_terms():
    params = MatchParams()
    n = need(1, 3.0, 4.0)
    assert pair_cost(n, offer(1, reach=5.0, rating=4.0), params) == pytest.approx(5.0 + 2.0)
    wants_care = need(1, 3.0, 4.0, kind="care_visit")
    other_category = offer(2, leaves=("CXJS-SQFW",), kinds=("care_visit",), reach=5.0)
    assert pair_cost(wants_care, other_category, params) == pytest.approx(5.0 + 3.0)
    assert pair_cost(n, offer(1, reach=5.0), params, k=3) == pytest.approx(5.0 + 3 * 0.5)


@pytest.mark.parametrize(
    "o",
    [
        offer(1, leaves=("CXJS-WYGL",)),  # no category fit
        offer(1, leaves=(), kinds=("care_visit",)),  # a service type, but the need names none
        offer(1, 3.0, 4.0, reach=4.99),  # too far
        offer(1, communities=(2, 3)),  # not registered with the need's community
    ],
)
def test_infeasible_pairs_are_never_used(o):
    n = need(1)
    assert pair_cost(n, o) is None
    for method in METHODS:
        result = method([n], [o])
        assert result.pairs == [] and result.unmatched == [1]
        assert result.total_cost == pytest.approx(1000.0)


def test_community_listed_and_exact_reach_are_feasible():
    n = need(1, 3.0, 4.0, community=2)
    o = offer(1, reach=5.0, communities=(2, 3))
    assert pair_cost(n, o) == pytest.approx(5.0)
    assert assigned(match_optimal([n], [o])) == {1: 1}


def test_category_fit_is_preferred_among_offers_of_the_service_type():
    n = need(1, kind="care_visit")
    offers = [offer(1, leaves=("CXJS-SQFW",), kinds=("care_visit",)), offer(2, 1.0, kinds=("care_visit",))]
    result = match_optimal([n], offers)
    assert assigned(result) == {1: 2}  # 1 km away, its category listed (cost 1) beats next door without (3)


# ---- optimality ---------------------------------------------------------------------------------------------
def test_optimal_beats_greedy_where_greedy_takes_what_a_later_need_needed():
    # Need 1 arrives first and is next to offer 1 (cost 0) and 1 km from offer 2 (cost 1); need 2 can only
    # use offer 1 (offer 2 does not reach it). Greedy gives offer 1 to need 1 and leaves need 2 out.
    needs = [need(1, 0.0), need(2, -2.0)]
    offers = [offer(1, 0.0, reach=3.0), offer(2, 1.0, reach=2.0)]
    greedy = match_greedy(needs, offers)
    optimal = match_optimal(needs, offers)
    assert assigned(greedy) == {1: 1} and greedy.unmatched == [2]
    assert assigned(optimal) == {1: 2, 2: 1} and optimal.unmatched == []
    assert optimal.total_cost == pytest.approx(1.0 + 2.0)
    assert greedy.total_cost == pytest.approx(0.0 + 1000.0)
    assert optimal.method == "min_cost_flow" and greedy.method == "greedy"


def test_optimal_minimises_cost_when_both_match_everything():
    # Offer 1 is 1 km from both needs; offer 2 is 1.5 km from need 1 and 3.5 km from need 2. Greedy gives
    # offer 1 to need 1 (1 + 3.5 = 4.5 in all); the optimum gives it to need 2 (1.5 + 1 = 2.5).
    needs = [need(1, 0.0), need(2, -2.0)]
    offers = [offer(1, -1.0), offer(2, 1.5)]
    greedy, optimal = match_greedy(needs, offers), match_optimal(needs, offers)
    assert len(greedy.pairs) == len(optimal.pairs) == 2
    assert greedy.total_cost == pytest.approx(4.5)
    assert optimal.total_cost == pytest.approx(2.5)
    assert assigned(optimal) == {1: 2, 2: 1}


def brute_force(needs: list[NeedIn], offers: list[OfferIn], params: MatchParams) -> float:
    """The best total cost over every assignment (tiny instances only)."""
    best = math.inf

    def go(i: int, used: list[int], cost: float, loads: dict[str, int]) -> None:
        nonlocal best
        if i == len(needs):
            fairness = sum(params.fairness_weight * n * (n - 1) / 2 for n in loads.values())
            best = min(best, cost + fairness)
            return
        go(i + 1, used, cost + params.unmatched_cost + params.priority_weight * needs[i].priority, loads)
        for j, o in enumerate(offers):
            c = pair_cost(needs[i], o, params)
            if c is None or used[j] >= o.capacity:
                continue
            used[j] += 1
            loads[o.provider] = loads.get(o.provider, 0) + 1
            go(i + 1, used, cost + c, loads)
            loads[o.provider] -= 1
            used[j] -= 1

    go(0, [0] * len(offers), 0.0, {})
    return best


@pytest.mark.parametrize("seed", range(40))
def test_optimal_equals_brute_force_on_small_random_instances(seed):
    rng = random.Random(seed)
    leaves = ["A-1", "A-2", "B-1"]
    kinds = ["", "legal", "repair"]
    needs = [
        NeedIn(
            i,
            rng.choice(leaves),
            rng.choice(kinds),
            rng.uniform(0, 3),
            rng.uniform(0, 3),
            rng.randint(1, 2),
            rng.randint(0, 1),
        )
        for i in range(1, 7)
    ]
    offers = [
        OfferIn(
            id=j,
            provider=f"p:{rng.randint(1, 3)}",
            categories=frozenset(rng.sample(leaves, rng.randint(1, 2))),
            service_types=frozenset(rng.sample(["legal", "repair"], rng.randint(0, 1))),
            x_km=rng.uniform(0, 3),
            y_km=rng.uniform(0, 3),
            capacity=rng.randint(1, 2),
            max_distance_km=rng.uniform(1, 4),
            rating=rng.uniform(3, 5),
            community_ids=frozenset(rng.sample([1, 2], rng.randint(0, 1))),
        )
        for j in range(1, 5)
    ]
    params = MatchParams(
        candidates_per_need=2
    )  # sparse first round: the widening round must still be exact enough
    optimal = match_optimal(needs, offers, MatchParams())
    assert optimal.total_cost == pytest.approx(
        brute_force(needs, offers, params), abs=0.05
    )  # integer-rounded costs
    assert check_capacities(optimal, offers, needs) == 0
    greedy = match_greedy(needs, offers)
    assert check_capacities(greedy, offers, needs) == 0
    assert len(optimal.pairs) >= len(greedy.pairs)
    assert optimal.total_cost <= greedy.total_cost + 0.05  # the flow optimises costs rounded to 0.01
    sparse = match_optimal(needs, offers, params)
    assert len(sparse.pairs) >= len(greedy.pairs) and check_capacities(sparse, offers, needs) == 0


def test_sparsification_does_not_lose_matches():
    # With one arc per need, need 1 (arc to offer 1 only) and need 2 (its only offer is offer 1) collide;
    # the widening round finds the augmenting path need 2 → offer 1 → need 1 → offer 2.
    needs = [need(1, 0.0), need(2, -2.0)]
    offers = [offer(1, 0.0, reach=3.0), offer(2, 1.0, reach=2.0)]
    result = match_optimal(needs, offers, MatchParams(candidates_per_need=1))
    assert assigned(result) == {1: 2, 2: 1}
    assert result.stats["rounds"] == 2 and result.stats["widened_needs"] == 2


# ---- capacity, fairness, priority ---------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_capacity_is_respected(method):
    needs = [need(i, 0.1 * i) for i in range(1, 6)]
    offers = [offer(1, capacity=2), offer(2, 4.0, capacity=1)]
    result = method(needs, offers)
    assert check_capacities(result, offers, needs) == 0
    counts = {j: sum(1 for p in result.pairs if p.offer_id == j) for j in (1, 2)}
    assert counts == {1: 2, 2: 1}
    assert len(result.unmatched) == 2 and sorted(result.unmatched + [p.need_id for p in result.pairs]) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert result.total_cost == pytest.approx(sum(p.cost for p in result.pairs) + 2 * 1000.0)


@pytest.mark.parametrize("method", METHODS)
def test_fairness_spreads_orders_across_providers_when_costs_tie(method):
    needs = [need(i) for i in range(1, 5)]
    offers = [offer(1, provider="unit:1", capacity=4), offer(2, provider="unit:2", capacity=4)]
    result = method(needs, offers)
    per_offer = sorted(sum(1 for p in result.pairs if p.offer_id == j) for j in (1, 2))
    assert per_offer == [2, 2]
    assert result.total_cost == pytest.approx(2 * 0.5)  # each provider's second order costs 0.5 more


def test_fairness_counts_the_provider_not_the_offer():
    # One provider with two offers vs another provider: the 2 needs go to different providers.
    needs = [need(1), need(2)]
    offers = [offer(1, provider="unit:1"), offer(2, provider="unit:1"), offer(3, 0.2, provider="unit:2")]
    result = match_optimal(needs, offers)
    providers = sorted({"unit:1" if p.offer_id in (1, 2) else "unit:2" for p in result.pairs})
    assert providers == ["unit:1", "unit:2"]  # 0.2 km (cost 0.2) beats the second order of unit:1 (cost 0.5)


def test_without_fairness_one_provider_takes_all():
    needs = [need(i) for i in range(1, 4)]
    offers = [offer(1, provider="unit:1", capacity=3), offer(2, 0.2, provider="unit:2", capacity=3)]
    result = match_optimal(needs, offers, MatchParams(fairness_weight=0.0))
    assert {p.offer_id for p in result.pairs} == {1}


@pytest.mark.parametrize("method", METHODS)
def test_priority_needs_served_first_when_capacity_is_short(method):
    # Need 1 arrives first and is nearer; need 2 is an elderly person living alone (priority 1).
    needs = [need(1, 0.0), need(2, 3.0, priority=1)]
    offers = [offer(1, 0.0, reach=5.0)]
    result = method(needs, offers)
    assert assigned(result) == {2: 1} and result.unmatched == [1]
    assert result.total_cost == pytest.approx(3.0 + 1000.0)


def test_priority_ranks_needs_among_the_largest_matchings():
    # Two urgent needs compete for one offer; the more urgent one wins even though it is farther.
    needs = [need(1, 0.0, priority=1), need(2, 2.0, priority=2), need(3, 0.5)]
    offers = [offer(1, 0.0, reach=3.0), offer(2, 0.5, reach=0.1)]
    result = match_optimal(needs, offers)
    assert assigned(result) == {2: 1, 3: 2} and result.unmatched == [1]


# ---- checking results ---------------------------------------------------------------------------------------
def test_check_capacities_counts_every_problem():
    needs = [need(1), need(2), need(3, 10.0)]
    offers = [offer(1, capacity=1)]
    bad = MatchResult(
        pairs=[
            Pair(1, 1, 0.0, 0.0),
            Pair(2, 1, 0.0, 0.0),
            Pair(2, 1, 0.0, 0.0),
            Pair(3, 1, 10.0, 10.0),
            Pair(4, 9, 0.0, 0.0),
        ],
        unmatched=[],
        total_cost=0.0,
        seconds=0.0,
        method="hand-made",
    )
    # capacity: 4 orders on a capacity-1 offer → 3; need 2 twice → 1; offer 9 unknown → 1.
    assert check_capacities(bad, offers) == 5
    # with the needs: need 4 unknown → 1, need 3 too far (10 km > 5 km) → 1.
    assert check_capacities(bad, offers, needs) == 7
    missing = MatchResult(pairs=[], unmatched=[1], total_cost=0.0, seconds=0.0, method="hand-made")
    assert check_capacities(missing, offers, needs) == 2  # needs 2 and 3 neither matched nor unmatched


# ---- bad input and empty input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("needs", "offers", "message"),
    [
        ([need(1)], [offer(1, capacity=0)], "offer 1: capacity must be an integer >= 1"),
        ([need(1)], [offer(1, capacity=-3)], "offer 1: capacity must be an integer >= 1"),
        ([need(1, leaf="")], [offer(1)], "need 1: has no category"),
        ([need(1), need(1, 2.0)], [offer(1)], "need 1: duplicate need id"),
        ([need(1)], [offer(7), offer(7, 1.0)], "offer 7: duplicate offer id"),
        ([need(1, math.nan)], [offer(1)], "need 1: coordinates must be finite"),
        ([need(1)], [offer(1, 0.0, math.inf)], "offer 1: coordinates must be finite"),
        ([need(1)], [offer(1, reach=math.nan)], "offer 1: max_distance_km"),
        ([need(1)], [offer(1, rating=6.0)], "offer 1: rating must be between 0 and 5"),
        ([need(1)], [offer(1, leaves=(), kinds=())], "offer 1: serves nothing"),
        ([need(1, priority=-1)], [offer(1)], "need 1: priority"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_bad_input_raises_a_clear_error(method, needs, offers, message):
    with pytest.raises(ValueError, match=message):
        method(needs, offers)


@pytest.mark.parametrize("method", METHODS)
def test_bad_params_raise(method):
    with pytest.raises(ValueError, match="candidates_per_need"):
        method([need(1)], [offer(1)], MatchParams(candidates_per_need=0))
    with pytest.raises(ValueError, match="fairness_weight"):
        method([need(1)], [offer(1)], MatchParams(fairness_weight=-1.0))


@pytest.mark.parametrize("method", METHODS)
def test_empty_inputs(method):
    for needs, offers in (([], []), ([], [offer(1)]), ([need(1), need(2, priority=1)], [])):
        result = method(needs, offers)
        assert result.pairs == []
        assert result.unmatched == [n.id for n in needs]
        assert result.total_cost == pytest.approx(sum(1000.0 + 100.0 * n.priority for n in needs))
        assert check_capacities(result, offers, needs) == 0


def test_inputs_are_not_changed_and_results_are_deterministic():
    needs = [need(i, 0.3 * i, 0.1 * i) for i in range(1, 30)]
    offers = [offer(j, 0.5 * j, provider=f"unit:{j % 3}", capacity=3) for j in range(1, 8)]
    before = (list(needs), list(offers))
    first, second = match_optimal(needs, offers), match_optimal(needs, offers)
    assert (needs, offers) == before
    assert [(p.need_id, p.offer_id) for p in first.pairs] == [(p.need_id, p.offer_id) for p in second.pairs]
    assert first.total_cost == second.total_cost
    # the pair costs carry the fairness rank: the sum of the pairs plus the penalties is the total
    assert first.total_cost == pytest.approx(sum(p.cost for p in first.pairs) + 1000.0 * len(first.unmatched))
