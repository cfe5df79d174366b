"""Checking a result without trusting the method that produced it."""

from __future__ import annotations

from collections.abc import Sequence

from needs.matching.model import MatchResult, NeedIn, OfferIn, pair_cost


def check_capacities(
    result: MatchResult, offers: Sequence[OfferIn], needs: Sequence[NeedIn] | None = None
) -> int:
    """Count what is wrong with a result (0 = sound).

    Counted: each order beyond an offer's capacity, each pair naming an unknown offer, each repeated need.
    With ``needs`` also: each pair naming an unknown need, each infeasible pair (fit, distance, community),
    and each need neither paired nor listed as unmatched (or both).
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


def category_violations(result: MatchResult, needs: Sequence[NeedIn], offers: Sequence[OfferIn]) -> int:
    """Pairs whose offer cannot serve the need: a need with a service type given to an offer that does not
    give it, or a need without one given to an offer that does not list its category. Written out here
    rather than calling the engine's ``fits``, so that a slip there is caught."""
    need_by_id = {n.id: n for n in needs}
    offer_by_id = {o.id: o for o in offers}
    bad = 0
    for pair in result.pairs:
        need, offer = need_by_id[pair.need_id], offer_by_id[pair.offer_id]
        wanted, served = (
            (need.service_type, offer.service_types)
            if need.service_type
            else (need.category, offer.categories)
        )
        bad += wanted not in served
    return bad
