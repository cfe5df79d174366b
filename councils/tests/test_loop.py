"""A council meets on its own, works through its issue list, decides, and follows up at the next meeting."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from access.scope import Scope
from appeals.models import Appeal
from councils.models import Decision, Issue, Meeting
from councils.scope import councils, keeps_council
from councils.sections import decisions_table
from councils.selectors import to_follow_up
from councils.services import (
    council_create,
    decision_finish,
    decision_take,
    follow_up_record,
    issue_raise,
    meeting_cancel,
    meeting_hold,
    meeting_schedule,
    seat_add,
)
from evaluation.ledgers import Rate
from linli.errors import PermissionDenied, TransitionError, ValidationError
from projects.models import Project

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
SEPT = datetime(2026, 9, 15, 15, tzinfo=TZ)
NOV = datetime(2026, 11, 17, 15, tzinfo=TZ)


@pytest.fixture
def council(world):
    c = council_create(user=world.community, area=world.c1, kind="joint_meeting", name="幸福社区联席会议")
    seat_add(user=world.community, council_id=c.pk, unit=world.pm1, post="成员单位")
    seat_add(user=world.community, council_id=c.pk, unit=world.dept)
    return c


def _held(w, council, when, title):
    with_clock = meeting_schedule(user=w.community, council_id=council.pk, title=title, scheduled_at=when)
    return meeting_hold(
        user=w.community,
        meeting_id=with_clock.pk,
        minutes="议定事项见决议",
        attendee_ids=council.seats.values_list("pk", flat=True),
    )


def _decide(w, meeting, issue, **given):
    """The community's staff decide the issue at the meeting: a task of the property firm's, due 1 October,
    unless the test says otherwise."""
    decision = {"kind": "task", "text": "x", "due": date(2026, 10, 1), "owner_unit": w.pm1, **given}
    return decision_take(user=w.community, meeting_id=meeting.pk, issue_id=issue.pk, **decision)


def test_a_decision_becomes_a_project_and_is_followed_up_at_the_next_meeting(world, council, clock_at):
    w = world
    clock_at(SEPT)
    issue = issue_raise(
        user=w.community, council_id=council.pk, title="幸福1号楼加装电梯", description="居民联名"
    )
    first = _held(w, council, SEPT, "第三季度联席会议")
    assert (first.status, first.attendees.count()) == ("held", 2)
    # when the meeting decides the issue as a project owned by the property firm
    decision = _decide(w, first, issue, kind="project", text="立项加装电梯，物业牵头", due=date(2026, 12, 31))
    # then the project is in the community's ledger and the issue is decided at that meeting
    project = Project.objects.get(pk=decision.project_id)
    assert (project.community, project.title, project.kind) == (w.c1, "幸福1号楼加装电梯", "co_building")
    issue.refresh_from_db()
    assert (issue.status, issue.meeting) == (Issue.Status.DECIDED, first)
    # and the next meeting has it on its follow-up list until it records it done
    clock_at(NOV)
    second = _held(w, council, NOV, "第四季度联席会议")
    assert list(to_follow_up(second)) == [decision]
    follow_up_record(
        user=w.community, meeting_id=second.pk, decision_id=decision.pk, verdict="done", note="已竣工"
    )
    decision.refresh_from_db()
    assert decision.status == "done" and decision.on_time
    assert list(to_follow_up(second)) == []
    assert [e.action for e in decision.events.all()] == ["decide", "follow_up"]


def test_a_decision_becomes_an_appeal_of_the_community(world, council, clock_at):
    w = world
    clock_at(SEPT)
    issue = issue_raise(user=w.community, council_id=council.pk, title="路灯不亮", description="幸福路一段")
    meeting = _held(w, council, SEPT, "专题会")
    decision = _decide(
        w, meeting, issue, kind="appeal", text="转区住建局办理", due=date(2026, 10, 15), owner_unit=w.dept
    )
    appeal = Appeal.objects.get(pk=decision.appeal_id)
    assert (appeal.community, appeal.title, appeal.channel) == (w.c1, "路灯不亮", "counter")


def test_wrong_state_is_409_and_no_right_is_403(world, council, clock_at):
    w = world
    clock_at(SEPT)
    issue = issue_raise(user=w.community, council_id=council.pk, title="停车难")
    planned = meeting_schedule(user=w.community, council_id=council.pk, title="会", scheduled_at=SEPT)
    # a meeting not yet held decides nothing
    with pytest.raises(TransitionError):
        _decide(w, planned, issue)
    # a resident may not hold it; another community's staff do not find the council
    with pytest.raises(PermissionDenied):
        meeting_hold(user=w.resident, meeting_id=planned.pk, minutes="x")
    with pytest.raises(ValidationError):
        seat_add(user=w.community2, council_id=council.pk, unit=w.pm2)
    meeting_hold(user=w.community, meeting_id=planned.pk, minutes="纪要")
    with pytest.raises(TransitionError):
        meeting_hold(user=w.community, meeting_id=planned.pk, minutes="再开一次")
    with pytest.raises(TransitionError):
        meeting_cancel(user=w.community, meeting_id=planned.pk, reason="x")
    with pytest.raises(ValidationError):
        _decide(w, planned, issue, owner_unit=None)  # no owner
    decision = _decide(w, planned, issue, text="错时停车")
    # the owning unit reports it done; a second report is a 409; another unit has no right
    with pytest.raises(PermissionDenied):
        decision_finish(user=w.unit2, decision_id=decision.pk, note="x")
    decision_finish(user=w.unit, decision_id=decision.pk, note="已划线")
    with pytest.raises(TransitionError):
        decision_finish(user=w.community, decision_id=decision.pk, note="again")


def test_decisions_on_time_figure_recounts(world, council, clock_at):
    w = world
    clock_at(SEPT)
    meeting = _held(w, council, SEPT, "会")
    made = []
    for n, due in enumerate([date(2026, 10, 16), date(2026, 10, 20), date(2026, 10, 30), date(2026, 11, 5)]):
        issue = issue_raise(user=w.community, council_id=council.pk, title=f"议题{n}")
        made.append(_decide(w, meeting, issue, text=f"决议{n}", due=due))
    clock_at(datetime(2026, 10, 15, 9, tzinfo=TZ))
    decision_finish(user=w.unit, decision_id=made[0].pk, note="按时")  # on time
    decision_finish(user=w.unit, decision_id=made[2].pk, note="提前")  # on time
    clock_at(datetime(2026, 10, 25, 9, tzinfo=TZ))
    decision_finish(user=w.unit, decision_id=made[1].pk, note="逾期")  # late (due 10-20)
    start, end = datetime(2026, 10, 1, tzinfo=TZ), datetime(2026, 11, 1, tzinfo=TZ)
    table = decisions_table(w.s1, start, end)
    assert table is not None
    due = Decision.objects.filter(due__gte=start.date(), due__lt=end.date())
    on_time = [d for d in due if d.done_at and d.done_at.date() <= d.due]
    assert table.rows == [["幸福社区联席会议", 3, 3, 2, Rate(len(on_time), due.count())]]
    assert str(table.rows[0][4]) == "66.7%（2 ÷ 3）"


@pytest.mark.parametrize(
    "persona, sees, keeps",
    [
        ("community", True, True),
        ("subdistrict", True, True),
        ("district", True, False),
        ("admin", True, True),
        ("gridworker", True, False),
        ("unit", True, False),  # its unit has a seat
        ("resident", False, False),
        ("partymember", False, False),
        ("buildinghead", False, False),
        ("community2", False, False),
        ("unit2", False, False),
    ],
)
def test_scope_matrix_of_councils(world, council, persona, sees, keeps):
    scope = Scope.of(getattr(world, persona))
    assert councils(scope).filter(pk=council.pk).exists() is sees
    assert keeps_council(scope, council) is keeps
    assert Meeting.objects.filter(council__in=councils(scope)).count() == 0
