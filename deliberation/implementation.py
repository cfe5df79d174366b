"""Decisions, implementation (tasks, or appeals handed to the appeal loop), feedback and evaluation of a topic.

Same pattern as ``deliberation.services``, on the loops of ``deliberation.steps``: the topic locked first (then the
task), the state (409), the right (403), the input (400), the topic's event row.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from access.scope import Scope
from appeals.models import Channel
from appeals.services import appeal_submit
from areas.models import Building
from categories.models import Category
from deliberation.models import Decision as DecisionRow
from deliberation.models import Evaluation, Feedback, ImplementationTask, Requirement, Satisfaction, Topic
from deliberation.steps import TASKS, TOPICS, begin, begin_held, current_topic_step, record
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.text import required_text as text
from notices.selectors import lives_in
from people.models import Person
from units.models import Unit


# ---- decisions, tasks, feedback, evaluation -----------------------------------------------------------------
@transaction.atomic
def decision_record(*, user, topic_id: int, text_: str, adopted: bool = True) -> DecisionRow:
    topic, _ = begin(user, topic_id, "decision")
    decision = DecisionRow.objects.create(
        topic=topic,
        step=current_topic_step(topic),
        text=text(text_, "text", "决议内容", 3000),
        adopted=adopted,
        decided_at=clock.now(),
        recorded_by=user,
    )
    record(topic, user=user, action="decision", note=("通过：" if adopted else "未通过：") + decision.text)
    return decision


def _require_decided(topic: Topic, doing: str) -> None:
    if not topic.decisions.filter(adopted=True).exists():
        raise TransitionError(f"尚无通过的决议，不能{doing}")


@transaction.atomic
def task_add(
    *,
    user,
    topic_id: int,
    title: str,
    owner: Person | None = None,
    unit: Unit | None = None,
    due: date | None = None,
) -> ImplementationTask:
    topic, _ = begin(user, topic_id, "task")
    _require_decided(topic, "安排实施任务")
    if owner is None and unit is None:
        raise ValidationError({"owner": "请指定负责人或负责单位"})
    task = ImplementationTask.objects.create(
        topic=topic,
        title=text(title, "title", "任务", 200),
        owner=owner,
        unit=unit,
        due=due,
        created_at=clock.now(),
    )
    who = "、".join(x.name for x in (owner, unit) if x is not None)
    record(topic, user=user, action="task", note=f"{task.title}（负责：{who}）")
    return task


@transaction.atomic
def task_add_appeal(
    *,
    user,
    topic_id: int,
    title: str,
    body: str,
    category: Category | None = None,
    building: Building | None = None,
) -> ImplementationTask:
    """A decided action handed to the appeal loop: an appeal is raised (and then dispatched like any other)."""
    topic, scope = begin(user, topic_id, "task")
    _require_decided(topic, "安排实施任务")
    proposer = topic.proposed_by
    raised_by = proposer if proposer is not None and scope.can_change_person(proposer) else scope.person
    if raised_by is None:
        raise ValidationError({"raised_by": "议题没有提议人，您的账号也没有对应的人员，无法登记诉求"})
    appeal = appeal_submit(
        user=user,
        title=title,
        body=f"{body}\n（议题“{topic.title}”的决议事项）".strip(),
        channel=Channel.COUNTER,
        raised_by=raised_by,
        category=category,
        community=topic.community,
        building=building or topic.building,
    )
    task = ImplementationTask.objects.create(
        topic=topic,
        kind=ImplementationTask.Kind.APPEAL,
        title=appeal.title,
        appeal=appeal,
        created_at=clock.now(),
    )
    record(topic, user=user, action="task", note=f"转为诉求 #{appeal.pk}：{appeal.title}")
    return task


@transaction.atomic
def task_finish(*, user, task_id: int, report: str, cancelled: bool = False) -> ImplementationTask:
    action = "task_cancel" if cancelled else "task_done"
    task = begin_held(TASKS, user, task_id, action)
    if task.kind == ImplementationTask.Kind.APPEAL:
        raise TransitionError("诉求派单的任务随诉求办结而完成，请在诉求页面办理")
    task.report = text(report, "report", "取消原因" if cancelled else "完成情况", 3000)
    task.status = ImplementationTask.Status.CANCELLED if cancelled else ImplementationTask.Status.DONE
    task.finished_at = clock.now()
    TASKS.save(task, "report", "status", "finished_at")
    record(task.topic, user=user, action=action, note=f"{task.title}：{task.report}")
    return task


@transaction.atomic
def feedback_report(*, user, topic_id: int, body: str) -> Feedback:
    topic, _ = begin(user, topic_id, "feedback")
    step = topic.current_step
    if step is None or Requirement.FEEDBACK not in step.requires:
        raise TransitionError(f"当前步骤是“{step.name if step else '—'}”，情况反馈须在流程的反馈步骤填写")
    feedback = Feedback.objects.create(
        topic=topic, body=text(body, "body", "反馈内容"), reported_at=clock.now(), reported_by=user
    )
    record(topic, user=user, action="feedback", note=feedback.body[:300])
    return feedback


@transaction.atomic
def topic_evaluate(*, user, topic_id: int, rating: str, comment: str = "") -> Evaluation:
    """群众评议: a resident of the community rates the reported-back result (满意 / 基本满意 / 不满意)."""
    topic = TOPICS.lock(topic_id)
    if not topic.feedback.exists():
        raise TransitionError("社区尚未反馈情况，反馈后才能评议")
    scope = Scope.of(user)
    person = scope.person
    if person is None or not lives_in(scope, topic.community):
        raise PermissionDenied(f"只有{topic.community.name}的居民可以评议")
    if rating not in Satisfaction.values:
        raise ValidationError({"rating": "请选择：满意、基本满意或不满意"})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                topic=topic, person=person, rating=rating, comment=comment.strip()[:500], at=clock.now()
            )
    except IntegrityError as exc:
        raise TransitionError("您已经评议过这个议题") from exc
    record(topic, user=user, action="evaluate", note=str(Satisfaction(rating).label))
    return evaluation
