"""Matching rounds: propose service orders from open needs and active offers, let staff adjust, dispatch.

The proposal comes from ``needs.matching.match_optimal`` (min-cost flow): every offer's remaining capacity
this month respected, a need only ever paired with an offer giving its service type (or listing its category
when it has none), nearer and better-rated providers preferred, work spread fairly. Staff may move a pair to
another fitting offer or take it out (its need goes back to the open needs). Dispatching turns each pair into
a service order through ``appeals.services`` (``order_for``): a need that came from an appeal dispatches that
very appeal; a need entered by staff gets a new appeal of kind ``service_order``. Assigning a need by hand,
outside a round, is ``needs.assign``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from access.scope import Scope
from appeals import services as appeal_services
from appeals.models import Appeal, Channel, Kind
from areas.models import Area
from audit.models import record
from linli import clock
from needs.geo import distance_km, position
from needs.matching import MatchParams, NeedIn, OfferIn, match_optimal, pair_cost
from needs.models import MatchRound, Need, Offer, Proposal
from needs.selectors import provider_ratings, used_this_month
from needs.services import community_staff_of
from needs.workflow import NEEDS, ROUNDS

NEUTRAL_RATING = 4.0


def need_in(need: Need) -> NeedIn:
    place = need.grid or (need.building.grid if need.building else None) or need.community
    x, y = position(place)
    return NeedIn(
        id=need.pk,
        category=need.category.code,
        service_type=need.service_type,
        x_km=x,
        y_km=y,
        community_id=need.community_id,
        priority=need.priority,
    )


def offer_in(offer: Offer, remaining: int, rating: float) -> OfferIn:
    x, y = position(offer.base)
    return OfferIn(
        id=offer.pk,
        provider=offer.registration.provider_key,
        categories=frozenset(c.code for c in offer.categories.all()),
        service_types=frozenset(offer.service_types or ()),
        x_km=x,
        y_km=y,
        capacity=remaining,
        max_distance_km=float(offer.max_distance_km),
        rating=rating,
        community_ids=frozenset({offer.registration.community_id}),
    )


def live_offers(community: Area) -> list[Offer]:
    """The active offers registered with the community, for matching."""
    return list(
        Offer.objects.filter(is_active=True, registration__community=community, registration__status="active")
        .select_related("registration__unit", "registration__person", "base")
        .prefetch_related("categories")
        .order_by("pk")
    )


def _inputs(community: Area) -> tuple[list[Need], list[Offer], dict[int, OfferIn], dict[int, NeedIn]]:
    needs = list(
        Need.objects.filter(community=community, status=Need.Status.OPEN).select_related(
            "category", "grid", "building__grid", "community"
        )
    )
    offers = live_offers(community)
    used = used_this_month([o.pk for o in offers])
    ratings = provider_ratings(offers)
    offer_ins = {}
    for offer in offers:
        remaining = offer.capacity_per_month - used.get(offer.pk, 0)
        if remaining > 0:
            offer_ins[offer.pk] = offer_in(
                offer, remaining, ratings.get(offer.registration.provider_key, NEUTRAL_RATING)
            )
    return needs, offers, offer_ins, {n.pk: need_in(n) for n in needs}


@transaction.atomic
def match_round_run(*, actor, community: Area, params: MatchParams | None = None) -> MatchRound:
    if not community_staff_of(Scope.of(actor), community):
        raise PermissionDenied("只有社区工作人员可以发起匹配")
    # One round at a time per community: lock the community row while proposing.
    Area.objects.select_for_update().get(pk=community.pk)
    needs, offers, offer_ins, need_ins = _inputs(community)
    if not needs:
        raise ValidationError({"needs": "没有待匹配的需求"})
    if not offer_ins:
        raise ValidationError({"offers": "没有本月还有余量的供给"})
    MatchRound.objects.filter(community=community, status=MatchRound.Status.PROPOSED).update(
        status=MatchRound.Status.DISCARDED
    )
    result = match_optimal(list(need_ins.values()), list(offer_ins.values()), params or MatchParams())
    round_ = MatchRound.objects.create(
        community=community,
        created_at=clock.now(),
        created_by=actor,
        method=result.method,
        total_cost=Decimal(str(round(result.total_cost, 2))),
        unmatched=result.unmatched,
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                round=round_,
                need_id=p.need_id,
                offer_id=p.offer_id,
                cost=Decimal(str(round(p.cost, 2))),
                distance_km=Decimal(str(round(p.distance_km, 2))),
            )
            for p in result.pairs
        ]
    )
    record(
        actor=actor,
        action="match",
        obj=round_,
        summary=f"{community.name} 匹配：{len(result.pairs)} 对，{len(result.unmatched)} 项未匹配",
    )
    return round_


def _editable(actor, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("round__community", "need__category", "offer").get(
        pk=proposal_id
    )
    round_ = MatchRound.objects.select_for_update().get(pk=proposal.round_id)
    if not community_staff_of(Scope.of(actor), round_.community):
        raise PermissionDenied("只有社区工作人员可以调整匹配")
    ROUNDS.check_state(round_, "adjust")
    return proposal


def feasible_offers(proposal: Proposal) -> list[tuple[Offer, float]]:
    """Offers this proposal's need could move to, with distances, cheapest first (for the adjust menu)."""
    needs, offers, offer_ins, need_ins = _inputs(proposal.round.community)
    wanted = need_ins.get(proposal.need_id) or need_in(proposal.need)
    taken: dict[int, int] = {}
    for p in proposal.round.proposals.exclude(pk=proposal.pk):
        taken[p.offer_id] = taken.get(p.offer_id, 0) + 1
    out = []
    for offer in offers:
        o = offer_ins.get(offer.pk)
        if o is None or o.capacity - taken.get(offer.pk, 0) <= 0:
            continue
        cost = pair_cost(wanted, o, MatchParams())
        if cost is not None:
            out.append((cost, offer, distance_km((wanted.x_km, wanted.y_km), (o.x_km, o.y_km))))
    return [(offer, d) for _, offer, d in sorted(out, key=lambda t: t[0])]


@transaction.atomic
def proposal_adjust(*, actor, proposal_id: int, offer: Offer) -> Proposal:
    proposal = _editable(actor, proposal_id)
    options = {o.pk: d for o, d in feasible_offers(proposal)}
    if offer.pk not in options:
        raise ValidationError({"offer": f"“{offer}”不适合这项需求（服务类型、距离或本月余量不符）"})
    before = proposal.offer
    proposal.offer = offer
    proposal.distance_km = Decimal(str(round(options[offer.pk], 2)))
    proposal.adjusted = True
    proposal.save(update_fields=["offer", "distance_km", "adjusted"])
    record(actor=actor, action="adjust", obj=proposal, summary=f"{proposal.need.title}：{before} → {offer}")
    return proposal


@transaction.atomic
def proposal_remove(*, actor, proposal_id: int) -> None:
    """Take a pair out of the round: its need goes back among the round's unmatched needs (still open, so
    staff can assign it by hand or the next round picks it up)."""
    proposal = _editable(actor, proposal_id)
    round_ = MatchRound.objects.get(pk=proposal.round_id)  # locked by _editable
    if proposal.need_id not in round_.unmatched:
        round_.unmatched = [*round_.unmatched, proposal.need_id]
        round_.save(update_fields=["unmatched"])
    record(actor=actor, action="remove", obj=proposal, summary=f"移出匹配，需求回到待匹配：{proposal}")
    proposal.delete()


def order_for(*, actor, need: Need, offer: Offer, note: str) -> Appeal:
    """Dispatch the service order of a locked, open need to an offer's provider, and mark the need ordered: a
    need that came from an appeal dispatches that very appeal; otherwise a service order is submitted first."""
    appeal = need.source_appeal
    if appeal is None:
        raised_by = need.person or Scope.of(actor).person
        if raised_by is None:
            raise ValidationError({"need": f"需求“{need.title}”没有需求人，派单人也没有人员档案"})
        body = need.description or need.title
        if need.group:
            body = f"服务对象：{need.group}。{body}"
        appeal = appeal_services.appeal_submit(
            user=actor,
            title=need.title,
            body=body,
            channel=Channel.NEED,
            raised_by=raised_by,
            category=need.category,
            community=need.community,
            building=need.building,
            kind=Kind.SERVICE_ORDER,
            need=need,
        )
    registration = offer.registration
    order = appeal_services.appeal_dispatch(
        user=actor,
        appeal_id=appeal.pk,
        unit=registration.unit,
        provider=registration.person,
        offer=offer,
        need=need,
        note=note,
    )
    need.status = Need.Status.ORDERED
    need.save(update_fields=["status"])
    return order


@transaction.atomic
def round_dispatch(*, actor, round_id: int) -> list[Appeal]:
    """Turn every proposal into a dispatched service order, all or nothing."""
    round_ = MatchRound.objects.select_for_update().select_related("community").get(pk=round_id)
    if not community_staff_of(Scope.of(actor), round_.community):
        raise PermissionDenied("只有社区工作人员可以派单")
    ROUNDS.check_state(round_, "dispatch")
    proposals = list(
        round_.proposals.select_related(
            "need__source_appeal",
            "need__person",
            "need__category",
            "need__building",
            "offer__registration__unit",
            "offer__registration__person",
        )
    )
    if not proposals:
        raise ValidationError({"round": "该批次没有匹配结果"})
    orders = []
    for p in proposals:
        need = Need.objects.select_for_update().get(pk=p.need_id)
        NEEDS.check_state(need, "dispatch")
        try:
            orders.append(
                order_for(
                    actor=actor,
                    need=need,
                    offer=p.offer,
                    note=f"服务单（匹配批次 {round_.pk}）：{p.offer.title}",
                )
            )
        except ValidationError as exc:
            raise ValidationError({"round": exc.messages}) from exc
    round_.status = MatchRound.Status.DISPATCHED
    round_.save(update_fields=["status"])
    record(actor=actor, action="dispatch", obj=round_, summary=f"派出服务单 {len(orders)} 张")
    return orders
