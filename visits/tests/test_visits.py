"""走访: a visit logged once however often its form arrives, one appeal per referral, coverage and its recount,
the special groups' due dates, and who may do what."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from appeals.models import Appeal, Channel
from areas.models import Household
from categories.models import Category
from linli.errors import PermissionDenied, ValidationError
from visits import selectors as sel
from visits import services
from visits.models import CareTag, Finding, Round, Visit, VisitReferral
from visits.sections import care_table, coverage_table

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)


@pytest.fixture
def at_now(clock_at):
    return clock_at(NOW)


def log(w, household, user=None, key=None, **kw):
    kw.setdefault("seen", [m.person for m in household.memberships.all()][:1])
    return services.visit_log(user=user or w.gridworker, household=household, key=key or uuid.uuid4(), **kw)


def test_a_visit_sent_twice_is_one_visit(world, at_now):
    key = uuid.uuid4()
    first, created = log(world, world.h1a, key=key, finding=Finding.APPEAL, note="楼道灯坏了")
    again, created_again = log(world, world.h1a, key=key, finding=Finding.APPEAL, note="楼道灯坏了")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert list(first.seen.all()) == [world.resident_person]
    assert first.events.get().action == "log"


def test_a_key_is_not_reused_by_another_worker(world, at_now):
    key = uuid.uuid4()
    log(world, world.h1a, key=key)
    with pytest.raises(ValidationError):
        log(world, world.h1a, user=world.community, key=key)


def test_visits_are_refused_outside_the_grid_and_for_strangers_and_bad_input(world, at_now):
    with pytest.raises(PermissionDenied):
        log(world, world.h1b)  # g1b is not the grid worker's
    with pytest.raises(PermissionDenied):
        log(world, world.h1a, user=world.resident)
    with pytest.raises(ValidationError):
        log(world, world.h1a, seen=[world.neighbour_g1b])  # not a member of this household
    with pytest.raises(ValidationError):
        log(world, world.h1a, seen=[], note="")  # met nobody and said nothing: choose 无人在家
    with pytest.raises(ValidationError):
        log(world, world.h1a, key="not-a-uuid")
    visit, _ = log(world, world.h1a, seen=[], met=False)
    assert not visit.met and not visit.seen.exists()


def test_an_appeal_raised_twice_from_a_visit_is_one_appeal_on_the_visit_channel(world, at_now):
    visit, _ = log(world, world.h1a, finding=Finding.APPEAL, note="楼道灯坏了，晚上看不见")
    key = uuid.uuid4()
    kwargs = dict(
        user=world.gridworker, visit_id=visit.pk, key=key, title="楼道灯坏了", body="1 号楼楼道灯坏了"
    )
    first = services.visit_raise_appeal(**kwargs)
    second = services.visit_raise_appeal(**kwargs)
    assert first.pk == second.pk
    assert Appeal.objects.count() == 1
    assert (first.channel, first.raised_by, first.building) == (
        Channel.VISIT,
        world.resident_person,
        world.b1a,
    )
    assert first.recorded_by == world.gridworker
    assert VisitReferral.objects.get().appeal == first
    assert [e.action for e in visit.events.all()] == ["log", "appeal"]


def test_a_need_from_a_visit_goes_through_the_needs_rules(world, at_now):
    category = Category.objects.create(code="YLFW", name="养老服务")
    visit, _ = log(world, world.h1a, finding=Finding.NEED, note="想申请助餐")
    with pytest.raises(PermissionDenied):  # the needs app: only community staff register needs
        services.visit_register_need(
            user=world.gridworker, visit_id=visit.pk, key=uuid.uuid4(), category=category, title="助餐"
        )
    key = uuid.uuid4()
    need = services.visit_register_need(
        user=world.community, visit_id=visit.pk, key=key, category=category, title="助餐"
    )
    again = services.visit_register_need(
        user=world.community, visit_id=visit.pk, key=key, category=category, title="助餐"
    )
    assert need.pk == again.pk and need.person == world.resident_person and need.building == world.b1a


def test_rounds_are_opened_by_community_staff_with_each_grids_worker(world, at_now):
    with pytest.raises(PermissionDenied):
        services.round_open(user=world.gridworker, area=world.c1, kind=Round.Kind.HALF_MONTH, title="x",
                            starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 15))  # fmt: skip
    with pytest.raises(ValidationError):
        services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HALF_MONTH, title="x",
                            starts_on=date(2026, 12, 15), ends_on=date(2026, 12, 1))  # fmt: skip
    rnd = services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HALF_MONTH,
                              title="12 月上半月进小区", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 15))  # fmt: skip
    grids = {rg.grid: rg.worker for rg in rnd.grids.all()}
    assert grids == {world.g1a: world.gridworker, world.g1b: None}
    visit, _ = log(world, world.h1a)
    assert visit.round == rnd


def _round(world, starts, ends):
    return services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HUNDRED_DAYS, title="百日大走访",
                               starts_on=starts, ends_on=ends)  # fmt: skip


def test_coverage_counts_met_households_and_lists_the_overdue(world, clock_at):
    clock_at(datetime(2026, 11, 2, 10, tzinfo=CST))
    rnd = _round(world, date(2026, 11, 1), date(2026, 11, 20))
    log(world, world.h1a)
    log(world, world.h1a)  # a second visit of the same household counts once
    log(world, world.h1a2, seen=[], met=False)  # nobody home: not visited
    clock_at(NOW)
    rg = rnd.grids.get(grid=world.g1a)
    cov = sel.grid_coverage(rg, NOW)
    assert (cov.households, cov.visited) == (2, 1)
    assert cov.overdue == [world.h1a2]
    g1b = sel.grid_coverage(rnd.grids.get(grid=world.g1b), NOW)
    assert (g1b.households, g1b.visited, g1b.overdue) == (1, 0, [world.h1b])


def test_coverage_table_recounts_from_the_visits(world, clock_at):
    clock_at(datetime(2026, 11, 2, 10, tzinfo=CST))
    _round(world, date(2026, 11, 1), date(2026, 11, 20))
    log(world, world.h1a)
    clock_at(datetime(2026, 11, 25, 10, tzinfo=CST))
    log(world, world.h1a2)  # after the due date, outside the round
    start, end = datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST)
    table = coverage_table(world.c1, start, end)
    assert table is not None and table.key == "visits-coverage"
    for row in table.rows:
        grid = world.g1a if row[1] == world.g1a.name else world.g1b
        households = Household.objects.filter(building__grid=grid)
        visited = {
            v.household_id
            for v in Visit.objects.filter(grid=grid, met=True)
            if datetime(2026, 11, 1, tzinfo=CST) <= v.visited_at < datetime(2026, 11, 21, tzinfo=CST)
        }
        assert row[3] == households.count()
        assert row[4] == len(visited)
        assert (row[5].numerator, row[5].denominator) == (len(visited), households.count())
        assert row[6] == households.exclude(pk__in=visited).count()
    assert table.links and all("/visits/rounds/" in link for link in table.links)
    assert coverage_table(world.c2, start, end) is None


def test_special_groups_due_at_their_frequency_and_the_on_time_table(world, clock_at):
    clock_at(datetime(2026, 11, 1, 9, tzinfo=CST))
    services.household_tag(user=world.gridworker, household=world.h1a, tag=CareTag.ELDERLY_ALONE, note="独居")
    services.household_tag(user=world.gridworker, household=world.h1a2, tag=CareTag.DISABLED)
    with pytest.raises(PermissionDenied):
        services.household_tag(user=world.gridworker, household=world.h1b, tag=CareTag.HARDSHIP)
    clock_at(datetime(2026, 11, 27, 9, tzinfo=CST))
    log(world, world.h1a)
    clock_at(NOW)
    due = {c.tag.household_id: c for c in sel.care_due(services.HouseholdTag.objects.all(), NOW)}
    assert due[world.h1a.pk].due == date(2026, 12, 4) and not due[world.h1a.pk].overdue
    assert due[world.h1a2.pk].due == date(2026, 12, 1) and due[world.h1a2.pk].overdue
    table = care_table(world.c1, datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST))
    assert table is not None
    rows = {r[0]: r for r in table.rows}
    assert rows["独居老人"][2:5] == [1, 1, 1]  # tagged, visits this month, on time at the month's end
    assert rows["残疾人"][2:5] == [1, 0, 0]
    assert str(rows["独居老人"][5]) == "100.0%（1 ÷ 1）"
