"""Benchmark of the needs/offers matching engine (``needs.matching``), run once by ``bench/run.py`` (no database).

The instance has the seed district's figures (商州: 8,300 needs, 4,200 offers) and is generated with a fixed
seed: a district of 10 × 8 km with 10 communities; needs clustered around the communities' housing estates,
in the demo category tree's leaves (``demo/categories.py``) weighted like community life (elderly care,
property management, community services, medical services, job training, …), each with the service type
(``needs.service_types``) such a need usually asks for (rare leaves without one: the category must fit),
10 % urgent (elderly living alone) and 3 % very urgent; offers from in-service party members (双报到:
registered with one community, one or two skills, each with a service type, 1–3 orders a month, going 1–3 km)
and from units (several leaves of their root with their service types, often every service type of the root,
5–40 orders a month, going 5–15 km, co-building with a few communities or district-wide), with ratings.

The city is ten such districts side by side (83,000 needs × 42,000 offers, each district its own seed): the
optimiser must stay exactly optimal (every feasible arc; it solves each connected part of the graph on its
own, which the components of needs and providers make exact, see ``needs.matching``) and under 10 s.

The optimiser runs ``RUNS`` times on the district (the machine is shared: the median time is reported, every
run printed to stderr, and the runs must agree) and once on the city, with its CPU time (here and in the
solver's worker processes) and the machine's load printed beside the wall time; the greedy baseline once each. Both results are checked by
``check_capacities`` (capacity, each need at most once, every pair feasible), never assumed sound. Costs are
the same formula for both (``MatchResult.total_cost``: pair costs + unmatched penalties).

Every pair is also checked against the fit rule written out again (``category_violations``: a need matched
to an offer not giving its service type, or not listing its category when it has none), over both methods
and both instances.

Prints on stdout ``BENCH matching.<x>`` for optimal.seconds/matched/cost, greedy.matched/cost,
capacity_violations (both methods), category_violations (both methods and instances; must be 0) and
city.seconds/matched/cost/greedy_matched/greedy_cost.
"""

from __future__ import annotations

import ast
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from needs.matching import (  # noqa: E402
    MatchParams,
    MatchResult,
    NeedIn,
    OfferIn,
    category_violations,
    check_capacities,
    match_greedy,
    match_optimal,
)

SEED = 20240601
NEEDS = int(os.environ.get("BENCH_NEEDS", "8300"))
OFFERS = int(os.environ.get("BENCH_OFFERS", "4200"))
UNIT_OFFER_SHARE = 0.07  # 商州: 244 units and 4,388 party members registered; units carry several offers each
RUNS = 3
TARGET_SECONDS = 5.0
CITY_DISTRICTS = int(os.environ.get("BENCH_CITY_DISTRICTS", "10"))
CITY_TARGET_SECONDS = 10.0
WIDTH_KM, HEIGHT_KM = 10.0, 8.0
COMMUNITIES = 10

# How often each leaf comes up among community needs (weights; every other leaf of the tree gets RARE).
NEED_WEIGHTS = {
    "LDSB-YLFW": 20,  # 养老服务
    "CXJS-WYGL": 13,  # 物业管理
    "CXJS-SQFW": 12,  # 社区服务
    "WSJS-YLFW": 9,  # 医疗服务
    "LDSB-JYPX": 6,  # 就业培训
    "LDSB-SHJZ": 6,  # 社会救助
    "JYWT-XWTG": 5,  # 托育和校外服务
    "JYWT-WTHD": 5,  # 文体活动
    "CXJS-LLJF": 4,  # 邻里纠纷
    "HJBH-YLLH": 3,  # 园林绿化
    "HJBH-LJQY": 3,  # 垃圾清运
    "CXJS-SZSS": 3,  # 市政设施
    "WSJS-GGWS": 3,  # 公共卫生
    "JTYS-TCGL": 2,  # 停车管理
    "LDSB-SHBX": 2,  # 社会保险
}
RARE = 0.5
# The service types (``needs.service_types``) a need of each leaf usually asks for, with weights; a leaf not
# listed gives its needs no service type (the offer must then list the leaf itself).
SERVICES_OF_LEAF: dict[str, dict[str, int]] = {
    "LDSB-YLFW": {"care_visit": 5, "errands": 3, "medical_escort": 1, "digital": 1},
    "CXJS-WYGL": {"facility": 3, "home_repair": 1},
    "CXJS-SQFW": {"home_repair": 2, "facility": 1, "care_visit": 1},
    "WSJS-YLFW": {"medical_escort": 1, "health": 1},
    "LDSB-JYPX": {"policy": 1},
    "LDSB-SHJZ": {"relief": 1},
    "JYWT-XWTG": {"childcare": 1},
    "JYWT-WTHD": {"digital": 1},
    "CXJS-LLJF": {"legal": 1},
    "LDSB-SHBX": {"policy": 1},
    "WSJS-GGWS": {"health": 1},
    "CXJS-SZSS": {"facility": 1},
    "CXJS-GD": {"electrical_safety": 1},
}
# Party members' skills lean towards personal services; units towards their line of work.
MEMBER_SKILL_WEIGHTS = {
    "LDSB-YLFW": 14,
    "CXJS-SQFW": 14,
    "JYWT-WTHD": 9,
    "JYWT-XWTG": 8,
    "WSJS-YLFW": 6,
    "LDSB-JYPX": 6,
    "CXJS-LLJF": 6,
    "LDSB-SHJZ": 5,
    "CXJS-WYGL": 4,
    "HJBH-YLLH": 4,
    "WSJS-GGWS": 3,
}


def log(message: str) -> None:
    print(f"[matching_bench] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float | int) -> None:
    text = str(value) if isinstance(value, int) else f"{value:.2f}"
    print(f"BENCH {name} {text}", flush=True)


def category_tree() -> dict[str, str]:
    """{leaf code: root code} of ``demo.categories.CATEGORY_TREE``, read from the source without importing
    it (the module needs Django's app registry; this benchmark needs no Django at all)."""
    source = (ROOT / "demo" / "categories.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "CATEGORY_TREE" for t in targets) and node.value:
                tree: dict[str, str] = {}
                assert isinstance(node.value, ast.List)
                for entry in node.value.elts:
                    assert isinstance(entry, ast.Tuple)
                    top, children = entry.elts
                    assert isinstance(top, ast.Call) and isinstance(children, ast.List)
                    root = ast.literal_eval(top.args[0])
                    for child in children.elts:
                        assert isinstance(child, ast.Call)
                        tree[ast.literal_eval(child.args[0])] = root
                return tree
    raise RuntimeError("CATEGORY_TREE not found in demo/categories.py")


def build_instance(
    rng: random.Random, n_needs: int = NEEDS, n_offers: int = OFFERS, district: int = 0
) -> tuple[list[NeedIn], list[OfferIn]]:
    """One district; ``district`` > 0 shifts it east of the others and numbers its needs, offers, providers
    and communities apart from theirs."""
    tree = category_tree()
    leaves = sorted(tree)
    missing = (set(NEED_WEIGHTS) | set(SERVICES_OF_LEAF)) - set(leaves)
    if missing:
        raise RuntimeError(f"leaf codes not in demo/categories.py: {sorted(missing)}")
    need_weights = [NEED_WEIGHTS.get(leaf, RARE) for leaf in leaves]
    member_weights = [MEMBER_SKILL_WEIGHTS.get(leaf, RARE) for leaf in leaves]
    roots = sorted(set(tree.values()))
    east = district * (WIDTH_KM + 2.0)
    tag = f"d{district}:" if district else ""

    def service_of(leaf: str) -> str:
        options = SERVICES_OF_LEAF.get(leaf)
        if not options:
            return ""
        return rng.choices(list(options), weights=list(options.values()))[0]

    # Communities: centres spread over the district, each with a few housing estates (clusters of needs).
    centres = [
        (rng.uniform(1.0, WIDTH_KM - 1.0), rng.uniform(1.0, HEIGHT_KM - 1.0)) for _ in range(COMMUNITIES)
    ]
    community_size = [rng.uniform(0.5, 1.5) for _ in range(COMMUNITIES)]  # relative population
    estates = [
        [
            (cx + rng.gauss(0, 0.5), cy + rng.gauss(0, 0.5), rng.uniform(0.1, 0.35))
            for _ in range(rng.randint(4, 8))
        ]
        for cx, cy in centres
    ]

    def clamp(x: float, y: float) -> tuple[float, float]:
        return east + min(max(x, 0.0), WIDTH_KM), min(max(y, 0.0), HEIGHT_KM)

    def place_in(community: int) -> tuple[float, float]:
        ex, ey, spread = rng.choice(estates[community])
        return clamp(ex + rng.gauss(0, spread), ey + rng.gauss(0, spread))

    first_community = district * 1000 + 1
    needs: list[NeedIn] = []
    for n in range(n_needs):
        community = rng.choices(range(COMMUNITIES), weights=community_size)[0]
        leaf = rng.choices(leaves, weights=need_weights)[0]
        x, y = place_in(community)
        urgent = rng.random()
        priority = 2 if urgent < 0.03 else 1 if urgent < 0.13 else 0
        needs.append(
            NeedIn(
                district * n_needs + n + 1,
                leaf,
                service_of(leaf),
                x,
                y,
                first_community + community,
                priority,
            )
        )

    def rating() -> float:
        if rng.random() < 0.2:  # new provider: the caller's neutral value
            return 4.0
        return round(min(5.0, max(2.5, rng.gauss(4.3, 0.45))), 2)

    offers: list[OfferIn] = []
    first_offer = district * n_offers + 1
    unit_offers = round(n_offers * UNIT_OFFER_SHARE)
    units = max(1, round(unit_offers * 0.8))  # some units list two offers
    for n in range(unit_offers):
        unit = n % units
        # a unit's place, root and communities are stable across its offers
        urng = random.Random(SEED * 31 + unit + 7919 * district)
        root = urng.choice(roots)
        own = [leaf for leaf in leaves if tree[leaf] == root]
        categories = frozenset(rng.sample(own, k=min(len(own), rng.randint(1, 3))))
        whole_root = rng.random() < 0.6  # every service type of its root, not only of its own leaves
        kinds = frozenset(
            k for leaf in (own if whole_root else categories) for k in SERVICES_OF_LEAF.get(leaf, {})
        )
        if urng.random() < 0.4:  # a department serving its whole district
            communities = frozenset(range(first_community, first_community + COMMUNITIES))
            x, y = east + urng.uniform(0, WIDTH_KM), urng.uniform(0, HEIGHT_KM)
        else:
            home = urng.randrange(COMMUNITIES)
            others = urng.sample(range(COMMUNITIES), k=urng.randint(0, 3))
            communities = frozenset(first_community + c for c in {home, *others})
            x, y = clamp(centres[home][0] + urng.gauss(0, 0.8), centres[home][1] + urng.gauss(0, 0.8))
        offers.append(
            OfferIn(
                id=first_offer + n,
                provider=f"{tag}unit:{unit + 1}",
                categories=categories,
                service_types=kinds,
                x_km=x,
                y_km=y,
                capacity=rng.randint(5, 40),
                max_distance_km=round(rng.uniform(5.0, 15.0), 1),
                rating=rating(),
                community_ids=communities,
            )
        )
    members = round((n_offers - unit_offers) * 0.85)  # some party members list two services
    for n in range(n_offers - unit_offers):
        member = n % members
        mrng = random.Random(SEED * 37 + member + 7919 * district)
        community = mrng.choices(range(COMMUNITIES), weights=community_size)[0]
        x, y = clamp(centres[community][0] + mrng.gauss(0, 0.9), centres[community][1] + mrng.gauss(0, 0.9))
        skills = frozenset(rng.choices(leaves, weights=member_weights, k=rng.choice((1, 1, 2))))
        kinds = frozenset(k for k in (service_of(leaf) for leaf in sorted(skills)) if k)
        offers.append(
            OfferIn(
                id=first_offer + unit_offers + n,
                provider=f"{tag}person:{member + 1}",
                categories=skills,
                service_types=kinds,
                x_km=x,
                y_km=y,
                capacity=rng.randint(1, 3),
                max_distance_km=round(rng.uniform(1.0, 3.0), 1),
                rating=rating(),
                community_ids=frozenset({first_community + community}),
            )
        )
    return needs, offers


def build_city(districts: int) -> tuple[list[NeedIn], list[OfferIn]]:
    needs: list[NeedIn] = []
    offers: list[OfferIn] = []
    for d in range(districts):
        n, o = build_instance(random.Random(SEED + d), NEEDS, OFFERS, district=d)
        needs += n
        offers += o
    return needs, offers


def summary(result: MatchResult, need_by_id: dict[int, NeedIn], params: MatchParams) -> str:
    pairs = sum(p.cost for p in result.pairs)
    penalties = sum(
        params.unmatched_cost + params.priority_weight * need_by_id[i].priority for i in result.unmatched
    )
    stats = {k: round(v, 2) for k, v in result.stats.items()}
    return (
        f"{result.method}: {len(result.pairs)} matched, {len(result.unmatched)} unmatched, "
        f"cost {result.total_cost:.2f} (pairs {pairs:.2f} + unmatched penalties {penalties:.2f}), "
        f"{result.seconds:.2f} s, {stats}"
    )


def main() -> int:
    rng = random.Random(SEED)
    needs, offers = build_instance(rng)
    capacity = sum(o.capacity for o in offers)
    log(
        f"{len(needs)} needs, {len(offers)} offers ({len({o.provider for o in offers})} providers), capacity {capacity}"
    )
    params = MatchParams()
    need_by_id = {n.id: n for n in needs}

    runs: list[MatchResult] = []
    for run in range(RUNS):
        result = match_optimal(needs, offers, params)
        log(f"run {run + 1}: {summary(result, need_by_id, params)}")
        runs.append(result)
    first = runs[0]
    for other in runs[1:]:
        if [(p.need_id, p.offer_id) for p in other.pairs] != [(p.need_id, p.offer_id) for p in first.pairs]:
            log("warning: the optimiser's runs disagree")
    seconds = statistics.median(r.seconds for r in runs)
    greedy = match_greedy(needs, offers, params)
    log(summary(greedy, need_by_id, params))

    violations = check_capacities(first, offers, needs) + check_capacities(greedy, offers, needs)
    provider_of = {o.id: o.provider for o in offers}
    urgent = sum(1 for n in needs if n.priority > 0)
    for label, result in (("optimal", first), ("greedy", greedy)):
        distances = [p.distance_km for p in result.pairs]
        served_urgent = sum(1 for p in result.pairs if needs[p.need_id - 1].priority > 0)
        load = Counter(provider_of[p.offer_id] for p in result.pairs)
        log(
            f"{label}: mean distance {statistics.fmean(distances) if distances else 0:.2f} km, "
            f"urgent needs served {served_urgent} of {urgent}, {len(load)} providers used, "
            f"busiest provider {max(load.values(), default=0)} orders"
        )
    bench("matching.optimal.seconds", seconds)
    bench("matching.optimal.matched", len(first.pairs))
    bench("matching.optimal.cost", first.total_cost)
    bench("matching.greedy.matched", len(greedy.pairs))
    bench("matching.greedy.cost", greedy.total_cost)
    bench("matching.capacity_violations", violations)
    misfits = category_violations(first, needs, offers) + category_violations(greedy, needs, offers)

    city_needs, city_offers = build_city(CITY_DISTRICTS)
    log(
        f"city: {CITY_DISTRICTS} districts, {len(city_needs)} needs, {len(city_offers)} offers "
        f"({len({o.provider for o in city_offers})} providers), capacity {sum(o.capacity for o in city_offers)}"
    )
    city_need_by_id = {n.id: n for n in city_needs}
    cpu = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    city = match_optimal(city_needs, city_offers, params)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    log(f"city: {summary(city, city_need_by_id, params)}")
    log(
        f"city: CPU {time.process_time() - cpu[0]:.2f} s here + "
        f"{workers.ru_utime + workers.ru_stime - cpu[1].ru_utime - cpu[1].ru_stime:.2f} s in the solver's "
        f"worker processes; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    city_seconds = city.seconds
    city_greedy = match_greedy(city_needs, city_offers, params)
    log(f"city {summary(city_greedy, city_need_by_id, params)}")
    city_violations = check_capacities(city, city_offers, city_needs) + check_capacities(
        city_greedy, city_offers, city_needs
    )
    misfits += category_violations(city, city_needs, city_offers)
    misfits += category_violations(city_greedy, city_needs, city_offers)
    bench("matching.category_violations", misfits)
    bench("matching.city.seconds", city_seconds)
    bench("matching.city.matched", len(city.pairs))
    bench("matching.city.cost", city.total_cost)
    bench("matching.city.greedy_matched", len(city_greedy.pairs))
    bench("matching.city.greedy_cost", city_greedy.total_cost)

    failures = []
    if misfits:
        failures.append(f"{misfits} pairs whose offer does not give the need's service type or category")
    if city_seconds >= CITY_TARGET_SECONDS:
        failures.append(f"city took {city_seconds:.2f} s (target < {CITY_TARGET_SECONDS} s)")
    if city_violations:
        failures.append(f"city: {city_violations} capacity/feasibility violations")
    if len(city.pairs) < len(city_greedy.pairs) or city.total_cost >= city_greedy.total_cost:
        failures.append("city: optimal is not better than greedy")
    if seconds >= TARGET_SECONDS:
        failures.append(f"optimal took {seconds:.2f} s (target < {TARGET_SECONDS} s)")
    if len(first.pairs) < len(greedy.pairs):
        failures.append("optimal matched fewer needs than greedy")
    if first.total_cost >= greedy.total_cost:
        failures.append("optimal cost is not lower than greedy")
    if violations:
        failures.append(f"{violations} capacity/feasibility violations")
    for failure in failures:
        log(f"TARGET MISSED: {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
