"""A topic through the six steps by its services: each step refused until what it requires is there, with the
message naming what is missing; no step is skipped; the timeline records each change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Channel
from appeals.services import appeal_submit
from deliberation import implementation, meetings, services, voting
from deliberation.models import Meeting, Party, Topic, TopicStep
from deliberation.processes import ensure_templates
from deliberation.tests.conftest import later, option
from linli import clock
from linli.errors import PermissionDenied, TransitionError
from notices.models import Notice
from notices.services import objection_answer, objection_raise

pytestmark = pytest.mark.django_db


def advance(w, topic):
    return services.topic_advance(user=w.community, topic_id=topic.pk)


def refused(w, topic, *fragments):
    with pytest.raises(TransitionError) as exc:
        advance(w, topic)
    for fragment in fragments:
        assert fragment in exc.value.message, exc.value.message
    return exc.value.message


def hold_meeting(w, topic, form=Meeting.Form.RESIDENTS_COUNCIL, decision="同意加装电梯，提交业主表决"):
    meeting = meetings.meeting_schedule(
        user=w.community, topic_id=topic.pk, form=form, title="1 号楼议事会", place="社区议事厅",
        starts_at=timezone.now() - timedelta(minutes=5), convenor=w.community_person,
    )  # fmt: skip
    for party in [p for p in Party if p != Party.CONVENOR]:
        meetings.meeting_invite(
            user=w.community, meeting_id=meeting.pk, party=party, name=f"{party.label}代表"
        )
    ids = list(meeting.participants.values_list("pk", flat=True))
    meetings.meeting_record_attendance(user=w.community, meeting_id=meeting.pk, attended_ids=ids)
    return meetings.meeting_record_minutes(
        user=w.community, meeting_id=meeting.pk, minutes="各方同意。", decision=decision
    )


def test_templates_are_data_and_idempotent(db):
    ensure_templates()
    ensure_templates()
    from deliberation.models import ProcessTemplate

    six = ProcessTemplate.objects.get(code="146")
    assert list(six.steps.values_list("name", flat=True)) == [
        "确定议题",
        "公示告知",
        "开展协商",
        "组织实施",
        "公示结果",
        "反馈情况",
    ]
    assert six.steps.get(code="publish").requires == ["topic_notice"]
    five = ProcessTemplate.objects.get(code="5yi")
    assert list(five.steps.values_list("name", flat=True)) == [
        "党组织提议",
        "两委商议",
        "多方审议",
        "会议决议",
        "群众评议",
    ]


def test_six_steps_end_to_end(world, lift):
    w, topic = world, lift
    assert (topic.status, topic.current_step.name) == (Topic.Status.ACTIVE, "确定议题")
    advance(w, topic)  # 确定议题 needs nothing more than the topic

    # 公示告知: refused until a notice is out and its period over, and objections answered
    refused(w, topic, "“公示告知”还不能进入“开展协商”", "尚未发布议题公示")
    notice = services.topic_publish_notice(
        user=w.community, topic_id=topic.pk, kind="topic", body="拟加装电梯", days=7
    )
    objection = objection_raise(user=w.resident, notice_id=notice.pk, body="低层住户是否分摊费用？")
    refused(w, topic, "议题公示期至", "届满")
    with clock.at(notice.ends_at + timedelta(minutes=1)):
        refused(w, topic, "有 1 条异议尚未答复")
        objection_answer(user=w.community, objection_id=objection.pk, answer="低层住户不分摊。")
        advance(w, topic)
    topic.refresh_from_db()
    assert topic.current_step.name == "开展协商" and topic.published_at == notice.starts_at

    # 开展协商: a meeting with minutes and a decision
    refused(w, topic, "“开展协商”步骤尚未召开会议并记录会议纪要", "尚无通过的决议")
    hold_meeting(w, topic, decision="")
    refused(w, topic, "尚无通过的决议")
    vote = voting.vote_open(
        user=w.community, topic_id=topic.pk, title="是否同意加装电梯", question="按方案加装", electorate="owners",
        buildings=[w.b1a], matter="ordinary", opens_at=timezone.now() - timedelta(minutes=1),
        closes_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    refused(w, topic, "表决“是否同意加装电梯”尚未截止")
    voting.vote_cast(user=w.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    voting.vote_cast(user=w.buildinghead, vote_id=vote.pk, option_id=option(vote, "同意"))
    with clock.at(later(8)):
        refused(w, topic, "已截止，请先结束表决")
        voting.vote_close(user=w.community, vote_id=vote.pk)
        advance(w, topic)

        # 组织实施: tasks, done to the end (an appeal counts when it is no longer open)
        refused(w, topic, "尚未安排实施任务")
        task = implementation.task_add(
            user=w.community, topic_id=topic.pk, title="委托施工单位安装", unit=w.pm1
        )
        refused(w, topic, "还有 1 项实施任务未完成：委托施工单位安装")
        implementation.task_finish(user=w.community, task_id=task.pk, report="电梯已安装并验收")
        advance(w, topic)

        # 公示结果, then 反馈情况 (feedback refused before its step)
        refused(w, topic, "尚未发布结果公示")
        services.topic_publish_notice(
            user=w.community, topic_id=topic.pk, kind="result", body="电梯已投用", days=7
        )
        with pytest.raises(TransitionError, match="情况反馈须在流程的反馈步骤填写"):
            implementation.feedback_report(user=w.community, topic_id=topic.pk, body="已投用")
        advance(w, topic)
        refused(w, topic, "“反馈情况”还不能完成议事流程", "尚未向居民反馈情况")
        with pytest.raises(TransitionError, match="社区尚未反馈情况"):
            implementation.topic_evaluate(user=w.resident, topic_id=topic.pk, rating="satisfied")
        implementation.feedback_report(user=w.community, topic_id=topic.pk, body="电梯已投用，居民反映方便。")
        implementation.topic_evaluate(user=w.resident, topic_id=topic.pk, rating="satisfied")
        with pytest.raises(TransitionError, match="已经评议过"):
            implementation.topic_evaluate(user=w.resident, topic_id=topic.pk, rating="unsatisfied")
        advance(w, topic)
    topic.refresh_from_db()
    assert topic.status == Topic.Status.DONE
    steps = TopicStep.objects.filter(topic=topic).order_by("definition__order")
    assert [s.completed_at is not None for s in steps] == [True] * 6
    actions = list(topic.events.values_list("action", flat=True))
    assert actions[0] == "create" and actions[-1] == "finish" and actions.count("advance") == 5
    with pytest.raises(TransitionError, match="议题当前“已完成”，不能进入下一步"):
        advance(w, topic)


def test_no_step_is_skipped_in_the_five_step_variant(world):
    topic = services.topic_create(
        user=world.community, community=world.c1, title="停车位划线", body="小区停车乱", template_code="5yi"
    )
    advance(world, topic)
    # 两委商议 needs its own meeting: one held in the previous step does not count
    refused(world, topic, "“两委商议”还不能进入“多方审议”", "“两委商议”步骤尚未召开会议")


def test_meeting_minutes_need_the_1_6_x_parties_present(world, lift):
    advance(world, lift)
    meeting = meetings.meeting_schedule(
        user=world.community, topic_id=lift.pk, form=Meeting.Form.BENCH_TALK, title="小板凳恳谈会", place="1 号楼下",
        starts_at=timezone.now() - timedelta(minutes=1), convenor=world.community_person,
    )  # fmt: skip
    with pytest.raises(TransitionError, match="尚未记录签到"):
        meetings.meeting_record_minutes(user=world.community, meeting_id=meeting.pk, minutes="…")
    lawyer = meetings.meeting_invite(
        user=world.community, meeting_id=meeting.pk, party=Party.LEGAL, name="王律师"
    )
    meetings.meeting_invite(user=world.community, meeting_id=meeting.pk, party=Party.PROPERTY, unit=world.pm1)
    convenor = meeting.participants.get(party=Party.CONVENOR)
    meetings.meeting_record_attendance(
        user=world.community, meeting_id=meeting.pk, attended_ids=[convenor.pk, lawyer.pk]
    )
    with pytest.raises(TransitionError) as exc:
        meetings.meeting_record_minutes(user=world.community, meeting_id=meeting.pk, minutes="…")
    assert exc.value.message.startswith(
        "按 1+6+X 规则，以下参会方无人到会：社区两委、监委会、物业、共建单位、居民代表、利益相关方（X）"
    )


def test_only_the_communitys_staff_run_a_topic(world, lift):
    for user in (world.resident, world.community2, world.gridworker):
        with pytest.raises(PermissionDenied, match="只有幸福社区的社区工作者可以推进议事流程"):
            services.topic_advance(user=user, topic_id=lift.pk)


def test_an_appeal_raised_to_a_topic(world):
    appeal = appeal_submit(
        user=world.resident, title="楼道没有电梯", body="老人上楼难", channel=Channel.APP, building=world.b1a
    )
    topic = services.topic_from_appeal(user=world.community, appeal_id=appeal.pk)
    assert (topic.source, topic.appeal, topic.proposed_by, topic.building) == (
        Topic.Source.APPEAL, appeal, world.resident_person, world.b1a,
    )  # fmt: skip


def test_a_decided_action_as_an_appeal_is_finished_when_the_appeal_closes(world, lift):
    from deliberation.models import ImplementationTask

    implementation.decision_record(user=world.community, topic_id=lift.pk, text_="先修缮楼道扶手")
    task = implementation.task_add_appeal(
        user=world.community, topic_id=lift.pk, title="修缮 1 号楼楼道扶手", body="决议事项"
    )
    assert task.kind == ImplementationTask.Kind.APPEAL and task.appeal.community == world.c1
    assert not task.is_finished
    with pytest.raises(TransitionError, match="随诉求办结而完成"):
        implementation.task_finish(user=world.community, task_id=task.pk, report="x")


def test_resident_proposes_and_staff_accept(world):
    topic = services.topic_propose(user=world.resident, title="增设快递柜", body="快递经常丢")
    assert (topic.status, topic.community) == (Topic.Status.PROPOSED, world.c1)
    services.topic_accept(user=world.community, topic_id=topic.pk, template_code="5yi")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.ACTIVE and topic.current_step.name == "党组织提议"
    assert Notice.objects.count() == 0
