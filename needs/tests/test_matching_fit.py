"""The hard rule of what an offer can serve (service type, or category for a need without one), the demo's four
examples that once came out wrong, and solving part by part without losing optimality. No database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needs import demo
from needs.matching import (
    MatchParams,
    NeedIn,
    OfferIn,
    category_violations,
    check_capacities,
    fits,
    match_greedy,
    match_optimal,
)
from needs.matching import flow as flow_module
from needs.service_types import ServiceType

KINDS = ["", "legal", "home_repair", "facility", "policy"]
LEAVES = ["CXJS-LLJF", "CXJS-SQFW", "LDSB-SHBX", "JYWT-WTHD"]

need_strategy = st.builds(
    lambda i, leaf, kind, x, y, c, p: NeedIn(i, leaf, kind, x, y, c, p),
    st.just(0),
    st.sampled_from(LEAVES),
    st.sampled_from(KINDS),
    st.floats(0, 4),
    st.floats(0, 4),
    st.integers(1, 2),
    st.integers(0, 2),
)
offer_strategy = st.builds(
    lambda i, p, leaves, kinds, x, y, cap, reach, rating, communities: OfferIn(
        i, f"p:{p}", leaves, kinds, x, y, cap, reach, rating, communities
    ),
    st.just(0),
    st.integers(1, 4),
    st.frozensets(st.sampled_from(LEAVES), min_size=1, max_size=2),
    st.frozensets(st.sampled_from(KINDS[1:]), max_size=2),
    st.floats(0, 4),
    st.floats(0, 4),
    st.integers(1, 3),
    st.floats(0.5, 5),
    st.floats(2.5, 5),
    st.frozensets(st.integers(1, 2), max_size=1),
)


def numbered(items, cls):
    return [
        cls(i + 1, *[getattr(x, f) for f in x.__dataclass_fields__ if f != "id"]) for i, x in enumerate(items)
    ]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(need_strategy, max_size=25), st.lists(offer_strategy, max_size=12))
def test_a_need_is_never_matched_to_an_offer_of_another_service_type(raw_needs, raw_offers):
    # Given a random round of needs with and without service types, and offers giving some service types
    needs, offers = numbered(raw_needs, NeedIn), numbered(raw_offers, OfferIn)
    for method in (match_optimal, match_greedy):
        # When either method matches them
        result = method(needs, offers)
        # Then every pair fits: the offer gives the need's service type, or lists its category if it has none
        assert category_violations(result, needs, offers) == 0
        need_by_id, offer_by_id = {n.id: n for n in needs}, {o.id: o for o in offers}
        for pair in result.pairs:
            need, offer = need_by_id[pair.need_id], offer_by_id[pair.offer_id]
            if need.service_type:
                assert need.service_type in offer.service_types
            else:
                assert need.category in offer.categories
        assert check_capacities(result, offers, needs) == 0


def test_a_shared_category_or_root_is_not_a_fit():
    # 水龙头漏水 and 法律咨询 are both 城乡建设; 用电安全检查 even lists 社区服务, the category of 健身器材检修.
    tap = NeedIn(1, "CXJS-SQFW", "home_repair", 0, 0, 1)
    gym = NeedIn(2, "CXJS-SQFW", "facility", 0, 0, 1)
    lawyer = OfferIn(1, "p:1", frozenset({"CXJS-LLJF"}), frozenset({"legal"}), 0, 0, 3, 5, 5)
    power = OfferIn(
        2, "u:1", frozenset({"CXJS-GD", "CXJS-SQFW"}), frozenset({"electrical_safety"}), 0, 0, 5, 9, 5
    )
    assert not fits(tap, lawyer) and not fits(gym, power)
    result = match_optimal([tap, gym], [lawyer, power])
    assert result.pairs == [] and result.unmatched == [1, 2]


def demo_round() -> tuple[list[NeedIn], list[OfferIn], dict[int, str], dict[int, str]]:
    """The demo community's open needs and offers (needs.demo), all in one place with room to spare, every
    provider rated alike: only the fit decides."""
    offers, names = [], {}
    entries = [(title, codes, kinds, cap) for _, _, (title, codes, kinds, cap, _r) in demo.UNIT_OFFERS]
    entries += [(title, codes, kinds, 2) for title, codes, kinds in demo.MEMBER_OFFERS]
    for j, (title, codes, kinds, cap) in enumerate(entries, start=1):
        offers.append(OfferIn(j, f"p:{j}", frozenset(codes), frozenset(kinds), 0.1 * j, 0, cap, 10, 4.5))
        names[j] = title
    needs, titles = [], {}
    for i, (title, code, kind, _who, priority) in enumerate(demo.NEEDS, start=1):
        needs.append(NeedIn(i, code, kind, 0.3, 0.2, 1, priority))
        titles[i] = title
    return needs, offers, titles, names


def test_the_demo_round_makes_sense():
    # Given the demo's needs and offers, each with a service type from the shared vocabulary
    needs, offers, titles, names = demo_round()
    assert {n.service_type for n in needs} <= set(ServiceType.values)
    assert {k for o in offers for k in o.service_types} <= set(ServiceType.values)
    # When the round is matched
    result = match_optimal(needs, offers)
    given_to = {titles[p.need_id]: names[p.offer_id] for p in result.pairs}
    # Then the four that once came out wrong come out right
    assert given_to["邻里噪音纠纷需要法律意见"] == "法律咨询"
    assert given_to["家里水龙头漏水需要上门修"] in {"水电小修", "楼道设施小修"}
    assert given_to["社保转移手续咨询"] == "就业社保政策进社区"
    assert given_to["小区健身器材检修"] == "楼道设施小修"
    # and every need is served by an offer of its kind
    assert result.unmatched == [] and category_violations(result, needs, offers) == 0


@pytest.mark.parametrize("arcs_per_solve", [1, 10**9])
def test_solving_part_by_part_gives_the_same_optimum(monkeypatch, arcs_per_solve):
    # Given two service types in two districts far apart, with a provider giving both service types
    needs = [
        NeedIn(i, "X-1", "legal" if i % 2 else "home_repair", (i % 3) + 50 * (i % 4 == 0), 0, 1, i % 2)
        for i in range(1, 41)
    ]
    offers = [
        OfferIn(1, "p:both", frozenset({"X-1"}), frozenset({"legal", "home_repair"}), 1, 0, 6, 3, 4.0),
        OfferIn(2, "p:legal", frozenset({"X-1"}), frozenset({"legal"}), 2, 0, 5, 3, 5.0),
        OfferIn(3, "p:far", frozenset({"X-1"}), frozenset({"home_repair"}), 51, 0, 4, 3, 4.5),
        OfferIn(4, "p:far2", frozenset({"X-1"}), frozenset({"legal"}), 50, 0, 2, 3, 3.0),
    ]
    whole = match_optimal(needs, offers)
    # When every component is solved on its own (1 arc per solve means one solve per component)
    monkeypatch.setattr(flow_module, "ARCS_PER_SOLVE", arcs_per_solve)
    parts = match_optimal(needs, offers)
    # Then the total cost is the same: the components share no arc
    assert parts.total_cost == pytest.approx(whole.total_cost)
    assert len(parts.pairs) == len(whole.pairs)
    assert parts.stats["components"] == 2  # the 50 km district, and the near one joined by "p:both"
    assert parts.stats["solves"] == (2 if arcs_per_solve == 1 else 1)


def test_every_arc_is_at_least_as_good_as_the_sparsified_flow():
    needs, offers, _, _ = demo_round()
    exact = match_optimal(needs, offers)
    sparse = match_optimal(needs, offers, MatchParams(candidates_per_need=1))
    assert exact.total_cost <= sparse.total_cost + 1e-6
    assert len(exact.pairs) == len(sparse.pairs)


def test_large_instances_solve_their_parts_in_worker_processes(monkeypatch):
    # Given the demo round twice over, in two districts far apart (two parts that share nothing)
    needs, offers, _, _ = demo_round()
    far_needs = [
        NeedIn(n.id + 100, n.category, n.service_type, n.x_km + 80, n.y_km, 2, n.priority) for n in needs
    ]
    far_offers = [
        OfferIn(
            o.id + 100,
            o.provider + ":far",
            o.categories,
            o.service_types,
            o.x_km + 80,
            o.y_km,
            o.capacity,
            o.max_distance_km,
            o.rating,
        )
        for o in offers
    ]
    needs, offers = needs + far_needs, offers + far_offers
    alone = match_optimal(needs, offers)
    # When the instance counts as large, so that its parts are solved in worker processes
    monkeypatch.setattr(flow_module, "PARALLEL_ARCS", 1)
    monkeypatch.setattr(flow_module, "ARCS_PER_SOLVE", 1)
    parallel = match_optimal(needs, offers)
    # Then the workers reach the same optimum (ties between equally good offers may fall either way)
    assert parallel.stats["workers"] == flow_module._workers(10**9, 2) and alone.stats["workers"] == 1
    assert len(parallel.pairs) == len(alone.pairs) == len(needs)
    assert parallel.total_cost == pytest.approx(alone.total_cost)
    assert check_capacities(parallel, offers, needs) == 0
