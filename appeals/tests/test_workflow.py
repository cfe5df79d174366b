"""Each step of the loop through its service: outcomes, events, and who may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appeals import services, whistle
from appeals.errors import PermissionDenied, TransitionError, ValidationError
from appeals.models import Appeal, Channel, Level, Status, WhistlePart
from appeals.supervision import supervise_overdue
from appeals.workflow import MAX_REOPENS
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def actions(appeal: Appeal) -> list[str]:
    return list(appeal.events.order_by("at", "id").values_list("action", flat=True))


def test_answer_triage_completes_without_dispatch(world, submitted):
    appeal = services.appeal_triage(
        user=world.community,
        appeal_id=submitted.pk,
        kind="answer",
        answer="路灯属市政管理，已转告，三日内修复。",
    )
    assert appeal.status == Status.COMPLETED and appeal.unit is None
    assert appeal.contacted_at is not None and appeal.report.startswith("路灯")
    assert Notification.objects.filter(user=world.resident, title__contains="已答复").exists()


def test_answer_needs_text(world, submitted):
    with pytest.raises(ValidationError) as err:
        services.appeal_triage(user=world.community, appeal_id=submitted.pk, kind="answer", answer=" ")
    assert "answer" in err.value.message_dict
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.triage_kind == ""


def test_dispatch_sets_deadlines_from_the_category(world, submitted, category):
    appeal = services.appeal_dispatch(user=world.community, appeal_id=submitted.pk, unit=world.pm1)
    assert appeal.status == Status.DISPATCHED
    assert appeal.contact_due - appeal.dispatched_at == timedelta(hours=category.contact_hours)
    assert appeal.resolve_due > appeal.contact_due
    assert appeal.triage_kind == "self_handle"  # pm1 is the community's own provider
    assert Notification.objects.filter(user=world.unit, title__contains="新派单").exists()


def test_return_goes_back_to_the_dispatcher_who_dispatches_again(world, dispatched):
    with pytest.raises(ValidationError):
        services.appeal_return(user=world.unit, appeal_id=dispatched.pk, reason="")
    appeal = services.appeal_return(
        user=world.unit, appeal_id=dispatched.pk, reason="不属于物业职责，属于住建"
    )
    assert appeal.status == Status.RETURNED and appeal.unit is None and appeal.return_count == 1
    assert Notification.objects.filter(user=world.community, title__contains="退回").exists()
    appeal = services.appeal_dispatch(user=world.community, appeal_id=dispatched.pk, unit=world.dept)
    assert appeal.status == Status.DISPATCHED and appeal.unit == world.dept
    assert actions(appeal) == ["submit", "dispatch", "return", "dispatch"]


def test_two_accepts_one_wins(world, dispatched):
    services.appeal_accept(user=world.unit, appeal_id=dispatched.pk)
    with pytest.raises(TransitionError):
        services.appeal_accept(user=world.unit, appeal_id=dispatched.pk)
    with pytest.raises(TransitionError):
        services.appeal_return(user=world.unit, appeal_id=dispatched.pk, reason="晚了")


def test_only_the_handling_unit_accepts(world, dispatched):
    for user in (world.unit2, world.community, world.resident):
        with pytest.raises(PermissionDenied):
            services.appeal_accept(user=user, appeal_id=dispatched.pk)


def test_satisfied_rating_closes(world, completed):
    appeal = services.appeal_rate(
        user=world.resident,
        appeal_id=completed.pk,
        resolved=True,
        satisfaction="basically_satisfied",
        comment="还行",
    )
    assert appeal.status == Status.CLOSED and appeal.closed_at is not None and not appeal.rated_by_staff
    with pytest.raises(TransitionError):
        services.appeal_rate(
            user=world.resident, appeal_id=completed.pk, resolved=True, satisfaction="satisfied"
        )


def test_follow_up_call_rates_for_the_resident(world, completed):
    with pytest.raises(PermissionDenied):
        services.appeal_rate(user=world.unit, appeal_id=completed.pk, resolved=True, satisfaction="satisfied")
    appeal = services.appeal_rate(
        user=world.gridworker, appeal_id=completed.pk, resolved=True, satisfaction="satisfied"
    )
    assert appeal.rated_by_staff


def test_unsatisfied_reopens_then_goes_up_a_level(world, completed):
    appeal = completed
    for round_ in range(1, MAX_REOPENS + 1):
        appeal = services.appeal_rate(
            user=world.resident,
            appeal_id=appeal.pk,
            resolved=False,
            satisfaction="unsatisfied",
            comment=f"第{round_}次还是不亮",
        )
        assert (
            appeal.status == Status.DISPATCHED and appeal.unit == world.pm1 and appeal.reopen_count == round_
        )
        services.appeal_accept(user=world.unit, appeal_id=appeal.pk)
        services.appeal_complete(user=world.unit, appeal_id=appeal.pk, report="再次维修")
    appeal = services.appeal_rate(
        user=world.resident, appeal_id=appeal.pk, resolved=False, satisfaction="unsatisfied"
    )
    assert appeal.status == Status.SUBMITTED and appeal.level == Level.SUBDISTRICT and appeal.unit is None
    assert actions(appeal)[-1] == "escalate"
    # the community no longer dispatches it; the subdistrict does
    with pytest.raises(PermissionDenied):
        services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.dept)
    appeal = services.appeal_dispatch(user=world.subdistrict, appeal_id=appeal.pk, unit=world.dept)
    assert appeal.status == Status.DISPATCHED


def test_rating_rejects_bad_values(world, completed):
    with pytest.raises(ValidationError):
        services.appeal_rate(user=world.resident, appeal_id=completed.pk, resolved=True, satisfaction="meh")
    with pytest.raises(ValidationError):
        services.appeal_rate(
            user=world.resident,
            appeal_id=completed.pk,
            resolved=True,
            satisfaction="satisfied",
            comment="x" * 501,
        )
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED and completed.satisfaction == ""


def test_whistle_completes_only_when_every_part_is_done_or_released(world, submitted):
    appeal = whistle.appeal_whistle(
        user=world.community,
        appeal_id=submitted.pk,
        units=[world.pm1, world.dept],
        report_within_hours=2,
        task="楼道线路老化，物业和住建联合排查",
    )
    assert appeal.status == Status.DISPATCHED
    assert set(appeal.whistle_parts.values_list("unit_id", flat=True)) == {world.pm1.pk, world.dept.pk}
    whistle.whistle_report_in(user=world.unit, appeal_id=appeal.pk)
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
    # the handling-unit "complete" is not offered while parts are open
    with pytest.raises(PermissionDenied):
        services.appeal_complete(user=world.unit, appeal_id=appeal.pk, report="x")
    whistle.whistle_part_done(user=world.unit, appeal_id=appeal.pk, report="物业已更换线路")
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED  # the department's part is still open
    whistle.whistle_release(user=world.community, appeal_id=appeal.pk, unit=world.dept, note="不需要住建")
    appeal.refresh_from_db()
    assert appeal.status == Status.COMPLETED and "物业已更换线路" in appeal.report
    assert actions(appeal) == ["submit", "whistle", "report_in", "part_done", "release_part", "complete"]


def test_whistle_refuses_units_outside_and_twice(world, submitted):
    with pytest.raises(ValidationError):
        whistle.appeal_whistle(user=world.community, appeal_id=submitted.pk, units=[world.pm2])
    with pytest.raises(ValidationError):
        whistle.appeal_whistle(user=world.community, appeal_id=submitted.pk, units=[])
    whistle.appeal_whistle(user=world.community, appeal_id=submitted.pk, units=[world.pm1])
    with pytest.raises(ValidationError):
        whistle.appeal_whistle(user=world.community, appeal_id=submitted.pk, units=[world.pm1])
    assert WhistlePart.objects.filter(appeal=submitted).count() == 1


def test_merge_makes_the_duplicate_follow_the_original(world, submitted):
    duplicate = services.appeal_submit(
        user=world.community,
        title="楼道灯不亮",
        body="邻居也反映",
        channel=Channel.HOTLINE,
        raised_by=world.neighbour_g1b,
        grid=world.g1b,
    )
    services.appeal_merge(user=world.community, appeal_id=duplicate.pk, into_id=submitted.pk)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == submitted
    assert world.neighbour_g1b in submitted.followers.all()
    with pytest.raises(ValidationError):
        services.appeal_merge(user=world.community, appeal_id=submitted.pk, into_id=submitted.pk)
    with pytest.raises(TransitionError):
        services.appeal_merge(user=world.community, appeal_id=duplicate.pk, into_id=submitted.pk)


def test_withdraw_by_the_resident(world, dispatched):
    appeal = services.appeal_withdraw(user=world.resident, appeal_id=dispatched.pk, reason="已自行解决")
    assert appeal.status == Status.WITHDRAWN
    with pytest.raises(TransitionError):
        services.appeal_accept(user=world.unit, appeal_id=dispatched.pk)


def test_supervision_flags_overdue_escalates_and_notifies(world, dispatched):
    later = dispatched.contact_due + timedelta(minutes=1)
    counts = supervise_overdue(now=later)
    assert counts["contact"] == 1
    dispatched.refresh_from_db()
    assert dispatched.contact_overdue and dispatched.level == Level.SUBDISTRICT
    assert actions(dispatched)[-1] == "overdue"
    assert Notification.objects.filter(user=world.unit, title__contains="超时督办").exists()
    assert Notification.objects.filter(user=world.subdistrict, title__contains="超时督办").exists()
    # a second sweep does not flag it again
    assert supervise_overdue(now=later)["contact"] == 0
    # resolution overdue later escalates to the district
    assert supervise_overdue(now=dispatched.resolve_due + timedelta(minutes=1))["resolve"] == 1
    dispatched.refresh_from_db()
    assert dispatched.resolve_overdue and dispatched.level == Level.DISTRICT


def test_supervision_flags_a_late_report_in(world, submitted):
    whistle.appeal_whistle(
        user=world.community, appeal_id=submitted.pk, units=[world.pm1], report_within_hours=1
    )
    counts = supervise_overdue(now=timezone.now() + timedelta(hours=2))
    assert counts["report_in"] == 1
    assert WhistlePart.objects.get(appeal=submitted).overdue


def test_manual_supervision_needs_a_note_and_a_supervisor(world, dispatched):
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(user=world.unit, appeal_id=dispatched.pk, note="快点")
    appeal = services.appeal_supervise(
        user=world.subdistrict, appeal_id=dispatched.pk, note="请今天内联系居民"
    )
    assert appeal.supervised_at is not None
    assert Notification.objects.filter(user=world.unit, title__startswith="督办").exists()


def test_photos_are_checked_by_content_and_size(world):
    from appeals.tests.test_photos import png

    good = SimpleUploadedFile("a.png", png(), content_type="image/png")
    appeal = services.appeal_submit(
        user=world.resident, title="积水", body="门口积水", channel=Channel.APP, photos=[good]
    )
    assert appeal.photos.count() == 1
    fake = SimpleUploadedFile("b.jpg", b"MZ not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as err:
        services.appeal_submit(
            user=world.resident, title="积水", body="门口积水", channel=Channel.APP, photos=[fake]
        )
    assert "photos" in err.value.message_dict
    big = SimpleUploadedFile("c.png", png() + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError):
        services.appeal_submit(
            user=world.resident, title="积水", body="门口积水", channel=Channel.APP, photos=[big]
        )
    assert Appeal.objects.count() == 1
