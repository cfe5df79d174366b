"""A round pairs needs only with offers giving the service they need; staff assign an unmatched need by hand
(service and page); a need taken out of a round goes back to the open needs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appeals.models import Appeal, Kind, Status
from audit.models import AuditEvent
from linli.errors import TransitionError
from needs import assign, rounds
from needs.models import MatchRound, Need
from needs.tests.fixtures import need_like_the_demo, offers_like_the_demo

pytestmark = pytest.mark.django_db

NOISE = "邻里噪音纠纷需要法律意见"
TAP = "家里水龙头漏水需要上门修"
PENSION = "社保转移手续咨询"
GYM = "小区健身器材检修"


@pytest.fixture
def demo_like(world):
    return offers_like_the_demo(world)


def test_the_four_demo_needs_meet_offers_that_can_serve_them(world, demo_like):
    # Given the four needs that a round once paired with 法律咨询, 电脑手机教学 and 用电安全检查 or left out
    for title in (TAP, PENSION, GYM):
        need_like_the_demo(world, demo_like.cats, title)
    noise = need_like_the_demo(world, demo_like.cats, NOISE)
    # When the community runs a round
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    given = {p.need.title: p.offer.title for p in round_.proposals.select_related("need", "offer")}
    # Then each goes to an offer giving its service, never across service types
    assert given[TAP] in {"水电小修", "楼道设施小修"}
    assert given[PENSION] == "就业社保政策进社区"
    assert given[GYM] == "楼道设施小修"
    # and the legal need, whose only lawyer lives too far, is left for staff, not given to someone else
    assert round_.unmatched == [noise.pk] and NOISE not in given
    # staff assign it by hand to the lawyer, who does not fit the radius but does fit the service
    options = assign.options_for(noise)
    assert [(o.offer.title, o.within_reach) for o in options] == [("法律咨询", False)]
    order = assign.need_assign(actor=world.community, need_id=noise.pk, offer_id=options[0].offer.pk)
    assert order.provider == demo_like.members["法律咨询"] and order.status == Status.DISPATCHED
    assert order.kind == Kind.SERVICE_ORDER and order.need_id == noise.pk
    assert "超出其登记的服务半径" in order.events.get(action="dispatch").note


def test_manual_assignment_dispatches_once_and_leaves_a_trail(world, demo_like):
    need = need_like_the_demo(world, demo_like.cats, NOISE)
    lawyer = demo_like.offers["法律咨询"]
    # When staff assign the need by hand
    order = assign.need_assign(actor=world.community, need_id=need.pk, offer_id=lawyer.pk, note="电话已确认")
    # Then the service order is dispatched to the lawyer and the need is ordered, with events and an audit row
    assert Need.objects.get(pk=need.pk).status == Need.Status.ORDERED
    assert list(order.events.values_list("action", flat=True)) == ["submit", "dispatch"]
    assert "电话已确认" in order.events.get(action="dispatch").note
    assert AuditEvent.objects.filter(action="assign", summary__contains=NOISE).count() == 1
    # and assigning it again is refused: it is no longer open
    with pytest.raises(TransitionError):
        assign.need_assign(actor=world.community, need_id=need.pk, offer_id=lawyer.pk)
    assert Appeal.objects.filter(need=need).count() == 1


def test_manual_assignment_only_to_an_offer_that_fits_within_scope(world, demo_like):
    need = need_like_the_demo(world, demo_like.cats, NOISE)
    power = demo_like.offers["用电安全检查"]
    # an offer of another service type
    with pytest.raises(ValidationError) as err:
        assign.need_assign(actor=world.community, need_id=need.pk, offer_id=power.pk)
    assert "offer" in err.value.message_dict
    # an offer that does not exist
    with pytest.raises(ValidationError):
        assign.need_assign(actor=world.community, need_id=need.pk, offer_id=999999)
    # staff of another community, a grid worker of this one, the unit
    for outsider in (world.community2, world.gridworker, world.unit):
        with pytest.raises(PermissionDenied):
            assign.need_assign(actor=outsider, need_id=need.pk, offer_id=demo_like.offers["法律咨询"].pk)
    assert Need.objects.get(pk=need.pk).status == Need.Status.OPEN
    assert not Appeal.objects.filter(need=need).exists()


def test_manual_assignment_respects_the_month_and_the_round_under_review(world, demo_like):
    lawyer = demo_like.offers["法律咨询"]  # capacity 2 a month
    first, second, third = (need_like_the_demo(world, demo_like.cats, NOISE) for _ in range(3))
    assign.need_assign(actor=world.community, need_id=first.pk, offer_id=lawyer.pk)
    assign.need_assign(actor=world.community, need_id=second.pk, offer_id=lawyer.pk)
    with pytest.raises(ValidationError) as err:  # the lawyer's month is full
        assign.need_assign(actor=world.community, need_id=third.pk, offer_id=lawyer.pk)
    assert "本月已排满" in str(err.value)
    # a need proposed in the round under review is changed there, not assigned by hand
    tap = need_like_the_demo(world, demo_like.cats, TAP)
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    proposal = round_.proposals.get(need=tap)
    with pytest.raises(TransitionError):
        assign.need_assign(actor=world.community, need_id=tap.pk, offer_id=proposal.offer_id)


def test_a_need_taken_out_of_a_round_goes_back_to_the_pool(world, demo_like):
    # Given a round with two pairs
    tap = need_like_the_demo(world, demo_like.cats, TAP)
    gym = need_like_the_demo(world, demo_like.cats, GYM)
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    assert round_.proposals.count() == 2 and round_.unmatched == []
    # When staff take the gym out of the round
    rounds.proposal_remove(actor=world.community, proposal_id=round_.proposals.get(need=gym).pk)
    # Then it is among the round's unmatched needs, still open, and can be assigned by hand
    round_.refresh_from_db()
    assert round_.unmatched == [gym.pk]
    assert Need.objects.get(pk=gym.pk).status == Need.Status.OPEN
    assert [o.offer.title for o in assign.options_for(gym)] == ["楼道设施小修"]
    # and dispatching the round orders only the other need
    orders = rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    assert [o.need_id for o in orders] == [tap.pk]
    # and the next round proposes it again
    again = rounds.match_round_run(actor=world.community, community=world.c1)
    assert list(again.proposals.values_list("need_id", flat=True)) == [gym.pk]


def test_round_page_offers_assignment_of_unmatched_needs(world, demo_like, client_for):
    noise = need_like_the_demo(world, demo_like.cats, NOISE)
    need_like_the_demo(world, demo_like.cats, GYM)
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    page = client_for("community").get(f"/needs/rounds/{round_.pk}/").content.decode()
    # the page speaks of distance, not of a solver's cost
    assert "总距离" in page and "最小费用流" not in page and "总成本" not in page
    assert 'data-action="assign"' in page and "吴律师：法律咨询" in page and "超出服务半径" in page
    # When staff pick the lawyer and press 派单
    response = client_for("community").post(
        f"/needs/needs/{noise.pk}/assign/",
        {"offer": demo_like.offers["法律咨询"].pk, "round": round_.pk},
        follow=True,
    )
    # Then they are back on the round with a message, and the need is ordered
    assert response.redirect_chain[-1][0] == f"/needs/rounds/{round_.pk}/"
    assert f"“{NOISE}”已派单" in response.content.decode()
    assert Need.objects.get(pk=noise.pk).status == Need.Status.ORDERED
    # pressing again says why, without an error page
    again = client_for("community").post(
        f"/needs/needs/{noise.pk}/assign/", {"offer": demo_like.offers["法律咨询"].pk}, follow=True
    )
    assert again.status_code == 200 and "不能再派单" in again.content.decode()
    # a need proposed in the round is changed in the round
    gym = Need.objects.get(title=GYM)
    proposed = client_for("community").post(
        f"/needs/needs/{gym.pk}/assign/", {"offer": demo_like.offers["楼道设施小修"].pk}, follow=True
    )
    assert "请在批次里改派" in proposed.content.decode()
    # an unfitting offer is refused with the reason
    pension = need_like_the_demo(world, demo_like.cats, PENSION)
    bad = client_for("community").post(
        f"/needs/needs/{pension.pk}/assign/", {"offer": demo_like.offers["法律咨询"].pk}, follow=True
    )
    assert "不适合这项需求" in bad.content.decode()
    assert Need.objects.get(pk=pension.pk).status == Need.Status.OPEN
    # another community's staff cannot even find the need
    assert client_for("community2").post(f"/needs/needs/{gym.pk}/assign/", {"offer": 1}).status_code == 404
    assert MatchRound.objects.get(pk=round_.pk).status == MatchRound.Status.PROPOSED
