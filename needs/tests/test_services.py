"""三库联动 end to end through the services: register, offer, need, match, adjust, dispatch, serve, rate."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity
from appeals import services as appeal_services
from appeals.models import Appeal, Channel, Kind, Status
from categories.models import Category
from linli.errors import TransitionError
from needs import rounds, services
from needs.models import MatchRound, Need, Offer, Registration
from needs.selectors import provider_record, team_minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def cats(world):
    health = Category.objects.create(code="WSJS", name="卫生计生")
    labour = Category.objects.create(code="LDSB", name="劳动和社会保障")
    return {
        "elderly": Category.objects.create(code="WSJS-YLFW", name="医疗服务", parent=health),
        "jobs": Category.objects.create(code="LDSB-JYPX", name="就业培训", parent=labour),
    }


@pytest.fixture
def offers(world, cats):
    member = services.registration_create(
        actor=world.community, community=world.c1, person=world.partymember_person
    )
    unit = services.registration_create(actor=world.community, community=world.c1, unit=world.pm1)
    return {
        "member": services.offer_create(
            actor=world.community,
            registration=member,
            title="陪老人就医",
            categories=[cats["elderly"]],
            capacity_per_month=1,
            base=world.g1a,
        ),
        "unit": services.offer_create(
            actor=world.community,
            registration=unit,
            title="上门维修",
            categories=[cats["elderly"], cats["jobs"]],
            capacity_per_month=5,
            base=world.c1,
            max_distance_km=10,
        ),
    }


def test_registration_twice_is_refused_and_changes_nothing(world, offers):
    with pytest.raises(ValidationError) as err:
        services.registration_create(actor=world.community, community=world.c1, unit=world.pm1)
    assert "不能重复报到" in str(err.value)
    assert Registration.objects.count() == 2


def test_bad_registrations(world):
    with pytest.raises(ValidationError):
        services.registration_create(actor=world.community, community=world.c1)
    with pytest.raises(ValidationError):  # a resident who is not a party member
        services.registration_create(actor=world.community, community=world.c1, person=world.resident_person)
    with pytest.raises(ValidationError):  # a grid is not a community
        services.registration_create(actor=world.community, community=world.g1a, unit=world.dept)
    with pytest.raises(PermissionDenied):  # another community's staff
        services.registration_create(actor=world.community2, community=world.c1, unit=world.dept)
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("capacity", [0, -1, 501])
def test_offer_capacity_must_be_positive(world, cats, capacity):
    registration = services.registration_create(actor=world.community, community=world.c1, unit=world.dept)
    with pytest.raises(ValidationError) as err:
        services.offer_create(
            actor=world.community,
            registration=registration,
            title="x",
            categories=[cats["jobs"]],
            capacity_per_month=capacity,
            base=world.c1,
        )
    assert "capacity_per_month" in err.value.message_dict
    assert Offer.objects.count() == 0


def test_offer_needs_a_category_and_need_needs_one_too(world, cats):
    registration = services.registration_create(actor=world.community, community=world.c1, unit=world.dept)
    with pytest.raises(ValidationError) as err:
        services.offer_create(
            actor=world.community,
            registration=registration,
            title="x",
            categories=[],
            capacity_per_month=2,
            base=world.c1,
        )
    assert "categories" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.need_create(
            actor=world.community, community=world.c1, category=None, title="助餐", group="独居老人"
        )
    assert "category" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.need_create(
            actor=world.community, community=world.c1, category=cats["elderly"], title="助餐"
        )
    assert "group" in err.value.message_dict
    assert Need.objects.count() == 0


def test_match_adjust_dispatch_serve_and_rate(world, cats, offers):
    # Given two needs: an elderly resident's and a group need
    mine = services.need_create(
        actor=world.community,
        community=world.c1,
        category=cats["elderly"],
        title="陪同去医院复查",
        person=world.resident_person,
        building=world.b1a,
        priority=2,
    )
    group = services.need_create(
        actor=world.community,
        community=world.c1,
        category=cats["jobs"],
        title="就业技能培训",
        group="辖区失业青年",
    )
    # When staff run a round
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    pairs = {p.need_id: p for p in round_.proposals.all()}
    assert set(pairs) == {mine.pk, group.pk} and round_.unmatched == []
    assert pairs[mine.pk].offer == offers["member"]  # nearer, leaf fit
    # and move the resident's need to the unit, then back to the party member
    rounds.proposal_adjust(actor=world.community, proposal_id=pairs[mine.pk].pk, offer=offers["unit"])
    with pytest.raises(ValidationError):  # the party member does not do job training
        rounds.proposal_adjust(actor=world.community, proposal_id=pairs[group.pk].pk, offer=offers["member"])
    rounds.proposal_adjust(actor=world.community, proposal_id=pairs[mine.pk].pk, offer=offers["member"])
    orders = rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    # Then service orders exist, dispatched to the provider in person and to the unit
    assert {o.kind for o in orders} == {Kind.SERVICE_ORDER}
    order = next(o for o in orders if o.need_id == mine.pk)
    assert (
        order.status == Status.DISPATCHED
        and order.provider == world.partymember_person
        and order.unit is None
    )
    assert order.channel == Channel.NEED and order.raised_by == world.resident_person
    assert Need.objects.get(pk=mine.pk).status == Need.Status.ORDERED
    assert MatchRound.objects.get(pk=round_.pk).status == MatchRound.Status.DISPATCHED
    # and the party member accepts, logs time, completes; the resident rates
    appeal_services.appeal_accept(user=world.partymember, appeal_id=order.pk)
    appeal_services.appeal_log_time(user=world.partymember, appeal_id=order.pk, minutes=90, note="陪同复查")
    with pytest.raises(PermissionDenied):
        appeal_services.appeal_log_time(user=world.unit, appeal_id=order.pk, minutes=30)
    appeal_services.appeal_complete(user=world.partymember, appeal_id=order.pk, report="已陪同完成复查")
    appeal_services.appeal_rate(
        user=world.resident, appeal_id=order.pk, resolved=True, satisfaction="satisfied"
    )
    assert Need.objects.get(pk=mine.pk).status == Need.Status.SERVED
    record = provider_record(person_id=world.partymember_person.pk)
    assert (
        record["taken"] == 1
        and record["closed"] == 1
        and record["minutes"] == 90
        and record["satisfied"] == 1
    )
    actions = list(Appeal.objects.get(pk=order.pk).events.values_list("action", flat=True))
    assert actions == ["submit", "dispatch", "accept", "log_time", "complete", "rate"]
    # a dispatched round cannot be changed or dispatched again: a wrong state, 409 as in every loop
    with pytest.raises(TransitionError):
        rounds.round_dispatch(actor=world.community, round_id=round_.pk)


def test_capacity_is_respected_across_the_month(world, cats, offers):
    for i in range(3):
        services.need_create(
            actor=world.community,
            community=world.c1,
            category=cats["elderly"],
            title=f"助老{i}",
            group="独居老人",
        )
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    per_offer: dict[int, int] = {}
    for p in round_.proposals.all():
        per_offer[p.offer_id] = per_offer.get(p.offer_id, 0) + 1
    assert per_offer.get(offers["member"].pk, 0) <= 1
    rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    services.need_create(
        actor=world.community, community=world.c1, category=cats["elderly"], title="助老4", group="独居老人"
    )
    second = rounds.match_round_run(actor=world.community, community=world.c1)
    assert offers["member"].pk not in set(second.proposals.values_list("offer_id", flat=True))


def test_self_handled_appeal_becomes_a_need_and_is_its_own_service_order(world, cats, offers):
    appeal = appeal_services.appeal_submit(
        user=world.resident,
        title="想找人陪同就医",
        body="腿脚不便",
        channel=Channel.APP,
        category=cats["elderly"],
        building=world.b1a,
    )
    with pytest.raises(ValidationError):
        services.need_from_appeal(actor=world.community, appeal=appeal)
    appeal_services.appeal_triage(user=world.community, appeal_id=appeal.pk, kind="self_handle")
    need = services.need_from_appeal(actor=world.community, appeal=appeal)
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    orders = rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    assert [o.pk for o in orders] == [appeal.pk]
    appeal.refresh_from_db()
    assert appeal.kind == Kind.APPEAL and appeal.need == need and appeal.provider == world.partymember_person


def test_matching_refuses_without_needs_or_offers_and_for_outsiders(world, cats):
    with pytest.raises(ValidationError):
        rounds.match_round_run(actor=world.community, community=world.c1)
    with pytest.raises(PermissionDenied):
        rounds.match_round_run(actor=world.unit, community=world.c1)


def test_volunteer_team_hours(world):
    team = services.team_create(
        actor=world.community,
        community=world.c1,
        name="幸福党员突击队",
        kind="party_commando",
        leader=world.partymember_person,
    )
    with pytest.raises(ValidationError):  # not a party member
        services.team_add_members(actor=world.community, team=team, members=[world.resident_person])
    services.activity_record(
        actor=world.community,
        team=team,
        title="清理楼道杂物",
        held_on=date(2026, 11, 1),
        minutes_each=120,
        participants=[world.partymember_person],
    )
    with pytest.raises(ValidationError):
        services.activity_record(
            actor=world.community,
            team=team,
            title="x",
            held_on=date(2026, 11, 1),
            minutes_each=0,
            participants=[world.partymember_person],
        )
    assert Activity.objects.filter(kind=Activity.Kind.VOLUNTEER, team=team).count() == 1
    assert team_minutes(team) == [(world.partymember_person.name, 1, 120)]


def test_two_dispatches_of_one_round_one_wins(world, cats, offers):
    services.need_create(
        actor=world.community, community=world.c1, category=cats["jobs"], title="培训", group="青年"
    )
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    with pytest.raises(TransitionError):  # the second finds the round dispatched: 409
        rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    assert Appeal.objects.filter(kind=Kind.SERVICE_ORDER).count() == 1
    order = Appeal.objects.get(kind=Kind.SERVICE_ORDER)
    with pytest.raises(PermissionDenied):  # the community dispatches; only the provider accepts
        appeal_services.appeal_accept(user=world.community, appeal_id=order.pk)
    with pytest.raises(TransitionError):  # and not before accepting
        appeal_services.appeal_complete(user=world.unit, appeal_id=order.pk, report="x")


def test_monthly_report_lists_providers_records(world, cats, offers):
    from django.utils import timezone

    from evaluation.report import report_content
    from linli import clock

    services.need_create(
        actor=world.community,
        community=world.c1,
        category=cats["elderly"],
        title="陪诊",
        person=world.resident_person,
        building=world.b1a,
    )
    round_ = rounds.match_round_run(actor=world.community, community=world.c1)
    (order,) = rounds.round_dispatch(actor=world.community, round_id=round_.pk)
    appeal_services.appeal_accept(user=world.partymember, appeal_id=order.pk)
    appeal_services.appeal_log_time(user=world.partymember, appeal_id=order.pk, minutes=90)
    content = report_content(world.c1, timezone.localtime(clock.now()).date().replace(day=1))
    assert content.providers == [
        {
            "name": world.partymember_person.name,
            "kind": "在职党员",
            "taken": 1,
            "closed": 0,
            "hours": 1.5,
            "satisfaction": "—",  # not rated yet: no rate, so no fraction
            "satisfaction_exact": None,
            "satisfaction_formula": "",
        }
    ]
