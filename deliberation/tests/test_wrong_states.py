"""Every step of a topic and of the records it holds refused from a state it may not start from (409), before the
right is looked at: a finished topic, a held or cancelled meeting, a finished task, a closed vote. Nothing changes
and no event row is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import implementation, meetings, services, voting
from deliberation.models import Meeting, Party, Topic
from deliberation.tests.conftest import later
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db


def closed(world, lift) -> Topic:
    return services.topic_close(user=world.community, topic_id=lift.pk, reason="业主另行协商")


TOPIC_STEPS = {
    "advance": lambda w, t: services.topic_advance(user=w.community, topic_id=t.pk),
    "close": lambda w, t: services.topic_close(user=w.community, topic_id=t.pk, reason="再终止"),
    "accept": lambda w, t: services.topic_accept(user=w.community, topic_id=t.pk),
    "decline": lambda w, t: services.topic_decline(user=w.community, topic_id=t.pk, reason="不受理"),
    "notice": lambda w, t: services.topic_publish_notice(
        user=w.community, topic_id=t.pk, kind="topic", body="公示", days=7
    ),
    "meeting": lambda w, t: meetings.meeting_schedule(
        user=w.community,
        topic_id=t.pk,
        form=Meeting.Form.RESIDENTS_COUNCIL,
        title="议事会",
        place="议事厅",
        starts_at=timezone.now(),
        convenor=w.community_person,
    ),  # fmt: skip
    "decision": lambda w, t: implementation.decision_record(user=w.community, topic_id=t.pk, text_="同意"),
    "task": lambda w, t: implementation.task_add(
        user=w.community, topic_id=t.pk, title="施工", owner=w.community_person
    ),
    "feedback": lambda w, t: implementation.feedback_report(user=w.community, topic_id=t.pk, body="已完工"),
    "vote_open": lambda w, t: voting.vote_open(
        user=w.community,
        topic_id=t.pk,
        title="表决",
        question="是否同意",
        electorate="residents",
        opens_at=clock.now(),
        closes_at=clock.now() + timedelta(days=3),
    ),  # fmt: skip
}


@pytest.mark.parametrize("step", sorted(TOPIC_STEPS))
def test_a_closed_topic_refuses_every_step_with_its_state(world, lift, step):
    topic = closed(world, lift)
    events = topic.events.count()
    with pytest.raises(TransitionError) as exc:
        TOPIC_STEPS[step](world, topic)
    assert exc.value.message.startswith("议题当前“已终止”，")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.CLOSED and topic.events.count() == events


def test_the_wrong_state_is_said_before_the_lack_of_right(world, lift):
    # a resident may not run the topic at all (403) …
    with pytest.raises(PermissionDenied):
        services.topic_advance(user=world.resident, topic_id=lift.pk)
    # … but once it is closed, the step is refused for its state first, whoever asks (409)
    closed(world, lift)
    with pytest.raises(TransitionError, match="议题当前“已终止”，不能进入下一步"):
        services.topic_advance(user=world.resident, topic_id=lift.pk)


def test_an_unknown_topic_is_a_field_error(world):
    with pytest.raises(ValidationError) as exc:
        services.topic_advance(user=world.community, topic_id=999999)
    assert exc.value.message_dict == {"topic": ["议题不存在"]}


@pytest.fixture
def meeting(world, lift):
    return meetings.meeting_schedule(
        user=world.community, topic_id=lift.pk, form=Meeting.Form.RESIDENTS_COUNCIL, title="1 号楼议事会",
        place="社区议事厅", starts_at=timezone.now() - timedelta(minutes=5), convenor=world.community_person,
    )  # fmt: skip


MEETING_STEPS = {
    "invite": (
        lambda w, m: meetings.meeting_invite(
            user=w.community, meeting_id=m.pk, party=Party.LEGAL, name="律师"
        ),
        "不能再邀请参会人",
    ),
    "attendance": (
        lambda w, m: meetings.meeting_record_attendance(user=w.community, meeting_id=m.pk, attended_ids=[]),
        "签到已不能修改",
    ),
    "minutes": (
        lambda w, m: meetings.meeting_record_minutes(user=w.community, meeting_id=m.pk, minutes="纪要"),
        "纪要已不能修改",
    ),
    "meeting_cancel": (
        lambda w, m: meetings.meeting_cancel(user=w.community, meeting_id=m.pk, reason="再取消"),
        "不能取消",
    ),
}


@pytest.mark.parametrize("step", sorted(MEETING_STEPS))
def test_a_cancelled_meeting_refuses_every_step(world, meeting, step):
    meetings.meeting_cancel(user=world.community, meeting_id=meeting.pk, reason="下雨改期")
    run, says = MEETING_STEPS[step]
    events = meeting.topic.events.count()
    with pytest.raises(TransitionError, match=f"会议已取消，{says}"):
        run(world, meeting)
    with pytest.raises(TransitionError):  # state before right: the same for somebody without the right
        run(type(world)(**{**vars(world), "community": world.community2}), meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.topic.events.count() == events


def test_an_unknown_meeting_is_a_field_error(world):
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_cancel(user=world.community, meeting_id=999999, reason="x")
    assert exc.value.message_dict == {"meeting": ["会议不存在"]}


def test_a_finished_task_is_not_finished_again(world, lift):
    implementation.decision_record(user=world.community, topic_id=lift.pk, text_="同意加装电梯")
    task = implementation.task_add(
        user=world.community, topic_id=lift.pk, title="报规划部门审批", owner=world.community_person
    )
    with pytest.raises(PermissionDenied, match="社区工作者可以登记任务完成"):
        implementation.task_finish(user=world.community2, task_id=task.pk, report="不归我")
    implementation.task_finish(user=world.community, task_id=task.pk, report="已审批")
    for cancelled in (False, True):
        with pytest.raises(TransitionError, match="任务已完成"):
            implementation.task_finish(
                user=world.community, task_id=task.pk, report="再登", cancelled=cancelled
            )
    task.refresh_from_db()
    assert task.report == "已审批" and lift.events.filter(action="task_done").count() == 1


def test_a_closed_vote_takes_no_ballot_and_is_not_closed_again(world, open_vote):
    vote = open_vote()
    with clock.at(later()):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    vote.refresh_from_db()
    with pytest.raises(TransitionError, match="表决已于 .* 结束，结果不能更改"):
        voting.vote_close(user=world.community2, vote_id=vote.pk)  # state before right
    option = vote.options.first()
    with pytest.raises(TransitionError, match="截止，选票不能再投"):
        voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option.pk)
    with pytest.raises(TransitionError, match="截止，选票不能再投"):
        voting.vote_enter_paper(
            user=world.community, vote_id=vote.pk, household=world.h1a, option_id=option.pk
        )
    assert vote.ballots.count() == 0
