"""The activity loop: plan → publish → sign up (capped) → check in (QR scan or ticked names) → close with a
report, and the minutes credited to party members and volunteers who were there."""

from __future__ import annotations

import pytest

from activities import services
from activities.models import Activity, ActivityEvent, Attendance
from activities.qr import matrix, svg
from activities.tests.conftest import at
from linli.errors import PermissionDenied, TransitionError, ValidationError


def test_residents_of_the_area_sign_up_until_the_cap(world, activity):
    services.activity_signup(user=world.resident, activity_id=activity.pk)
    with pytest.raises(TransitionError) as again:
        services.activity_signup(user=world.resident, activity_id=activity.pk)
    assert again.value.code == "already"
    services.activity_signup(user=world.partymember, activity_id=activity.pk)
    with pytest.raises(TransitionError) as full:
        services.activity_signup(user=world.buildinghead, activity_id=activity.pk)
    assert full.value.code == "full" and "名额已满" in full.value.message
    services.activity_withdraw(user=world.resident, activity_id=activity.pk)
    services.activity_signup(user=world.buildinghead, activity_id=activity.pk)
    assert set(activity.attendances.values_list("person__name", flat=True)) == {
        world.partymember_person.name,
        world.buildinghead_person.name,
    }


def test_outsiders_and_unpublished_activities_refuse_sign_up(world, planned):
    with pytest.raises(TransitionError):  # not published yet
        services.activity_signup(user=world.resident, activity_id=planned.pk)
    with pytest.raises(PermissionDenied):  # another community's staff
        services.activity_publish(user=world.community2, activity_id=planned.pk)
    services.activity_publish(user=world.community, activity_id=planned.pk)
    with pytest.raises(PermissionDenied):  # lives in c2
        services.activity_signup(user=world.community2, activity_id=planned.pk)


def test_an_activity_for_one_grid_is_for_that_grids_residents(world, clock_at):
    clock_at(at(2, 9))
    grid_only = services.activity_plan(
        user=world.community, community=world.c1, area=world.g1b, kind="festival", title="冬至包饺子",
        starts_at=at(21, 10), ends_at=at(21, 12),
    )  # fmt: skip
    services.activity_publish(user=world.community, activity_id=grid_only.pk)
    with pytest.raises(PermissionDenied):  # the resident lives in g1a
        services.activity_signup(user=world.resident, activity_id=grid_only.pk)


def test_scan_checks_in_on_the_day_with_the_days_code(world, activity, clock_at):
    services.activity_signup(user=world.resident, activity_id=activity.pk)
    code = services.checkin_code(activity)
    with pytest.raises(TransitionError):  # the day before
        services.activity_scan(user=world.resident, activity_id=activity.pk, code=code)
    clock_at(at(3, 13, 30))
    with pytest.raises(ValidationError):
        services.activity_scan(user=world.resident, activity_id=activity.pk, code=code + "x")
    first = services.activity_scan(user=world.resident, activity_id=activity.pk, code=code)
    second = services.activity_scan(user=world.resident, activity_id=activity.pk, code=code)
    assert first.pk == second.pk and second.checked_in_at == first.checked_in_at
    assert abs((first.checked_in_at - at(3, 13, 30)).total_seconds()) < 60
    walk_in = services.activity_scan(user=world.buildinghead, activity_id=activity.pk, code=code)
    assert walk_in.via == Attendance.Via.WALK_IN
    assert ActivityEvent.objects.filter(activity=activity, action="check_in").count() == 2


def test_staff_tick_names_and_closing_credits_party_members_and_volunteers(world, activity, clock_at):
    services.activity_signup(user=world.partymember, activity_id=activity.pk)
    services.activity_signup(user=world.resident, activity_id=activity.pk)
    clock_at(at(3, 14, 5))
    with pytest.raises(PermissionDenied):  # a resident does not tick names
        services.activity_tick(
            user=world.resident, activity_id=activity.pk, person_ids=[world.resident_person.pk]
        )
    with pytest.raises(ValidationError):  # lives in c2
        services.activity_tick(
            user=world.community, activity_id=activity.pk, person_ids=[world.resident_c2.pk]
        )
    services.activity_tick(
        user=world.gridworker, activity_id=activity.pk,
        person_ids=[world.partymember_person.pk, world.resident_person.pk, world.neighbour_g1b.pk],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.activity_close(user=world.community, activity_id=activity.pk, report=" ")
    services.activity_close(
        user=world.community, activity_id=activity.pk, report="30 人参加，讲了三个孝亲故事。"
    )
    minutes = dict(activity.attendances.values_list("person__name", "minutes"))
    assert minutes == {
        world.partymember_person.name: 120,
        world.resident_person.name: 0,
        world.neighbour_g1b.name: 0,
    }
    with pytest.raises(TransitionError):  # closed: no more check-in
        services.activity_tick(
            user=world.community, activity_id=activity.pk, person_ids=[world.resident_person.pk]
        )
    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.HELD


def test_a_volunteer_service_day_credits_everyone_there(world, clock_at):
    clock_at(at(2, 9))
    day = services.activity_plan(
        user=world.community, community=world.c1, kind="volunteer", title="清理楼道杂物",
        starts_at=at(2, 9), ends_at=at(2, 11),
    )  # fmt: skip
    services.activity_publish(user=world.community, activity_id=day.pk)
    services.activity_tick(user=world.community, activity_id=day.pk, person_ids=[world.neighbour_g1b.pk])
    clock_at(at(2, 11))
    services.activity_close(user=world.community, activity_id=day.pk, report="清出杂物两车")
    assert Attendance.objects.get(activity=day).minutes == 120


def test_plans_are_checked(world, clock_at):
    clock_at(at(2, 9))
    with pytest.raises(ValidationError) as refused:
        services.activity_plan(
            user=world.community, community=world.c1, area=world.g2a, kind="nope", title=" ",
            starts_at=at(3, 10), ends_at=at(3, 9), cap=0,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"kind", "title", "area", "ends_at", "cap"}
    with pytest.raises(PermissionDenied):
        services.activity_plan(
            user=world.resident,
            community=world.c1,
            kind="moral",
            title="x",
            starts_at=at(3, 9),
            ends_at=at(3, 10),
        )


def test_the_qr_code_is_a_real_qr_matrix():
    url = "https://linli.example/activities/12/checkin/?c=12:2026-12-03:abcdefghijklmnop"
    grid = matrix(url)
    n = len(grid)
    assert (n - 17) % 4 == 0  # 17 + 4 × version modules a side
    finder = [[True] * 7, [True, False, False, False, False, False, True]]
    for r, c in ((0, 0), (0, n - 7), (n - 7, 0)):  # the three finder patterns
        assert grid[r][c : c + 7] == finder[0] and grid[r + 1][c : c + 7] == finder[1]
    assert svg(url).startswith("<svg") and "<script" not in svg(url)
