"""Two staff members record the same meeting as held, or finish the same decision, at once: one wins, the other
hears that the record has moved on (409). Real row locks need PostgreSQL; skipped on SQLite."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from councils.models import DecisionEvent, MeetingEvent
from councils.services import (
    council_create,
    decision_finish,
    decision_take,
    issue_raise,
    meeting_hold,
    meeting_schedule,
    seat_add,
)
from linli.errors import TransitionError
from linli.testing import build_world, race, two_at_once

pytestmark = two_at_once()
WHEN = datetime(2026, 9, 15, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def outcome(call):
    def run():
        try:
            call()
            return 200
        except TransitionError:
            return 409

    return run


def test_two_holds_at_once(w):
    council = council_create(user=w.community, area=w.c1, kind="joint_meeting", name="联席会议")
    meeting = meeting_schedule(user=w.community, council_id=council.pk, title="例会", scheduled_at=WHEN)
    codes = race(
        [
            outcome(lambda: meeting_hold(user=w.community, meeting_id=meeting.pk, minutes="甲的纪要")),
            outcome(lambda: meeting_hold(user=w.subdistrict, meeting_id=meeting.pk, minutes="乙的纪要")),
        ]
    )
    assert sorted(codes) == [200, 409]
    assert MeetingEvent.objects.filter(meeting=meeting, action="hold").count() == 1


def test_two_finishes_at_once(w):
    council = council_create(user=w.community, area=w.c1, kind="joint_meeting", name="联席会议")
    seat_add(user=w.community, council_id=council.pk, unit=w.pm1)
    issue = issue_raise(user=w.community, council_id=council.pk, title="议题")
    meeting = meeting_schedule(user=w.community, council_id=council.pk, title="例会", scheduled_at=WHEN)
    meeting_hold(user=w.community, meeting_id=meeting.pk, minutes="纪要")
    decision = decision_take(
        user=w.community,
        meeting_id=meeting.pk,
        issue_id=issue.pk,
        kind="task",
        text="任务",
        due=date(2026, 10, 1),
        owner_unit=w.pm1,
    )
    codes = race(
        [
            outcome(lambda: decision_finish(user=w.unit, decision_id=decision.pk, note="单位报告")),
            outcome(lambda: decision_finish(user=w.community, decision_id=decision.pk, note="社区确认")),
        ]
    )
    assert sorted(codes) == [200, 409]
    assert DecisionEvent.objects.filter(decision=decision, action="finish").count() == 1
