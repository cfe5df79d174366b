"""Assigning an open need by hand (人工派单): for a need no round could place, or one taken out of a round.

Staff pick an offer; the need's service order is dispatched to its provider at once. The offer must fit the
need (its service type, or its category when the need has none: the same hard rule as matching), be
registered with the need's community, and have room left this month (orders taken this month and pairs
proposed in the community's round under review both count). Distance is shown, not enforced: staff may know
that a provider will go further than the radius they registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from access.scope import Scope
from appeals.models import Appeal
from audit.models import record
from linli.errors import TransitionError
from needs.geo import distance_km
from needs.matching import fits
from needs.models import MatchRound, Need, Offer, Proposal
from needs.rounds import NEUTRAL_RATING, live_offers, need_in, offer_in, order_for
from needs.selectors import used_this_month
from needs.services import community_staff_of
from needs.workflow import NEEDS


@dataclass(frozen=True)
class Option:
    offer: Offer
    distance_km: float
    remaining: int  # orders it can still take this month
    within_reach: bool  # inside the provider's registered radius


def options_for(need: Need, *, exclude_round_need: bool = True) -> list[Option]:
    """The offers this need may be assigned to by hand, nearest first."""
    wanted = need_in(need)
    offers = live_offers(need.community)
    used = used_this_month([o.pk for o in offers])
    proposed = Proposal.objects.filter(
        round__community=need.community, round__status=MatchRound.Status.PROPOSED
    )
    if exclude_round_need:
        proposed = proposed.exclude(need=need)
    for offer_id in proposed.values_list("offer_id", flat=True):
        used[offer_id] = used.get(offer_id, 0) + 1
    out = []
    for offer in offers:
        remaining = offer.capacity_per_month - used.get(offer.pk, 0)
        if remaining <= 0:
            continue
        candidate = offer_in(offer, remaining, NEUTRAL_RATING)
        if not fits(wanted, candidate):
            continue
        distance = distance_km((wanted.x_km, wanted.y_km), (candidate.x_km, candidate.y_km))
        out.append(Option(offer, distance, remaining, distance <= candidate.max_distance_km + 1e-9))
    return sorted(out, key=lambda o: (o.distance_km, o.offer.pk))


@transaction.atomic
def need_assign(*, actor, need_id: int, offer_id: int, note: str = "") -> Appeal:
    """Dispatch an open need's service order to the chosen offer. Refusals: not staff of the need's community
    → PermissionDenied; the need is no longer open (someone assigned or matched it first) or is in the round
    under review → TransitionError; the offer does not fit, is not the community's or is full →
    ValidationError on ``offer``."""
    need = (
        Need.objects.select_for_update(of=("self",))
        .select_related("community", "category", "grid", "building__grid", "source_appeal", "person")
        .get(pk=need_id)
    )
    if not community_staff_of(Scope.of(actor), need.community):
        raise PermissionDenied("只有社区工作人员可以派单")
    NEEDS.check_state(need, "assign")
    if Proposal.objects.filter(need=need, round__status=MatchRound.Status.PROPOSED).exists():
        raise TransitionError(f"需求“{need.title}”在待审核的匹配批次中，请在批次里改派，或先移出")
    # Lock the offer while counting its orders, so two assignments cannot both take its last place.
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("registration__unit", "registration__person", "registration__community")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise ValidationError({"offer": "没有这条供给"})
    if offer.registration.community_id != need.community_id:
        raise ValidationError({"offer": f"“{offer}”不是在{need.community.name}报到的供给"})
    option = next((o for o in options_for(need) if o.offer.pk == offer.pk), None)
    if option is None:
        raise ValidationError({"offer": f"“{offer}”不适合这项需求（服务类型不符、已停用，或本月已排满）"})
    reach = "" if option.within_reach else "，超出其登记的服务半径"
    order = order_for(
        actor=actor,
        need=need,
        offer=offer,
        note=f"人工派单：{offer.title}（{option.distance_km:.1f} 公里{reach}）{note.strip()[:200]}".strip(),
    )
    record(actor=actor, action="assign", obj=need, summary=f"人工派单：{need.title} → {offer}")
    return order
