"""Matching needs to offers (需求清单 × 供给清单 → 服务清单): a pure engine, no models, no database.

The caller (``needs.rounds``) turns Need and Offer rows into :class:`NeedIn` / :class:`OfferIn` values (places
become coordinates in a local metric frame, providers become keys such as ``"unit:12"`` or ``"person:345"``)
and gets back a :class:`MatchResult`: the proposed pairs, the needs left unmatched and the total cost.

Feasibility of a pair (need, offer) — all three must hold:

- fit (:func:`fits`): the need's service type (法律咨询, 上门维修 … the vocabulary of
  ``needs.service_types``) is one the offer gives; a need without a service type needs an offer that lists
  its leaf category. Nothing else fits: not a sibling category, not the same root (that is how 水龙头漏水
  once went to 法律咨询, both being 城乡建设);
- distance: the straight-line distance is at most ``offer.max_distance_km``;
- community: if ``offer.community_ids`` is not empty, the need's community is one of them.

Cost of a feasible pair, for the provider's k-th order of the round (k = 0 for the first)::

    distance_weight * km + rating_weight * (5 - rating) + category_penalty * [offer lacks the need's category]
        + fairness_weight * k

Leaving a need unmatched costs ``unmatched_cost + priority_weight * need.priority``. The unmatched cost is far
above any pair cost, so the optimiser maximises the number of matches first; among equally large matchings
the higher-priority needs are served first, and then the cost of the pairs is minimised.

:func:`match_optimal` solves this as a min-cost flow (OR-Tools ``SimpleMinCostFlow``, costs scaled by 100 and
rounded to integers)::

    source ─1─▶ need ─1─▶ offer ─capacity─▶ provider ═▶ sink       (k-th parallel arc: cost k·fairness)
                  └──────────── unmatched (cost unmatched_cost + priority_weight·priority) ─────────▶ sink

The fairness term is convex (the k-th unit through a provider's arcs costs k·fairness_weight), which the
flow handles exactly.

**Why solving part by part is still optimal.** Take the graph whose nodes are the needs and the providers,
with an edge for every feasible pair (need — the offer's provider). Every arc of the flow network except the
shared source and sink lies inside one connected component of that graph: a need's arcs go to offers it fits,
an offer's arc to its provider, a provider's arcs to the sink. Capacities are per arc, each need's supply of
one unit must leave through its own component (or its unmatched arc), and the objective is a sum over arcs.
So the problem is a sum of independent problems, one per component, and the sum of their optima is the
optimum of the whole. Since a pair only exists between a need and an offer of the same service type (or
category) near each other, the components fall along service types and districts by themselves; a
provider giving two service types joins them into one component, which is then solved as one. Components are
packed into solves of about ``ARCS_PER_SOLVE`` pair arcs (a solve of whole components is optimal for each);
from ``PARALLEL_ARCS`` pair arcs on (a city, never a community's round) the packs are solved in worker
processes (forked, inheriting the packs; a fresh ``spawn`` where there is no fork, so a caller's script keeps the
``if __name__ == "__main__"`` idiom).

By default (``candidates_per_need=None``) every feasible pair is an arc, so the result is optimal for the
rounded costs. ``candidates_per_need=K`` keeps only each need's K cheapest pairs (for very dense instances);
if the solver then leaves out a need that has feasible offers, an alternating search over all feasible pairs
gives every need on an augmenting path all its pairs and solves again (at most ``MAX_ROUNDS`` rounds), so the
matching stays maximum; the pair costs may then be a little above the optimum.

:func:`match_greedy` is the baseline: needs in priority order (then arrival order), each taking its cheapest
feasible offer with capacity left (cost including the provider's current fairness term).

Both results have ``total_cost`` computed by the same function (``candidates.finish``): the pair costs with
each provider's orders costed k = 0, 1, … plus the unmatched penalties — exactly the objective, unrounded.
"""

from needs.matching.check import category_violations, check_capacities
from needs.matching.flow import match_optimal
from needs.matching.greedy import match_greedy
from needs.matching.model import (
    MatchParams,
    MatchResult,
    NeedIn,
    OfferIn,
    Pair,
    fits,
    pair_cost,
    unmatched_penalty,
    validate,
)

__all__ = [
    "MatchParams",
    "MatchResult",
    "NeedIn",
    "OfferIn",
    "Pair",
    "category_violations",
    "check_capacities",
    "fits",
    "match_greedy",
    "match_optimal",
    "pair_cost",
    "unmatched_penalty",
    "validate",
]
