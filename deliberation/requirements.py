"""What each requirement of a step checks, and the message naming what is missing (shown wherever a step is refused).

``missing(topic, step, now)`` lists the messages for the topic's current step; empty means it may move on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from deliberation.models import Meeting, Requirement, Topic, TopicStep, Vote
from notices.models import Notice
from notices.selectors import subject_notices

SUBJECT = "deliberation.topic"


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def topic_notices(topic: Topic, kind: str):
    return subject_notices(SUBJECT, topic.pk).filter(kind=kind, status=Notice.Status.PUBLISHED)


def _topic_notice(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    notices = list(topic_notices(topic, Notice.Kind.TOPIC).prefetch_related("objections"))
    if not notices:
        return "尚未发布议题公示"
    if not any(n.ends_at < now for n in notices):
        ends = min(n.ends_at for n in notices)
        return f"议题公示期至 {_when(ends)} 届满，公示期满后才能进入下一步"
    unanswered = sum(1 for n in notices for o in n.objections.all() if o.answered_at is None)
    if unanswered:
        return f"公示期内有 {unanswered} 条异议尚未答复"
    return None


def _meeting_minutes(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    if Meeting.objects.filter(step=step, status=Meeting.Status.HELD).exists():
        return None
    return f"“{step.definition.name}”步骤尚未召开会议并记录会议纪要"


def _decision(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    for vote in topic.votes.filter(status=Vote.Status.OPEN):
        if now < vote.closes_at:
            return f"表决“{vote.title}”尚未截止（截止 {_when(vote.closes_at)}）"
        return f"表决“{vote.title}”已截止，请先结束表决、公布结果"
    if topic.decisions.filter(adopted=True).exists():
        return None
    return "尚无通过的决议（会议决议或表决通过）"


def _tasks_done(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    tasks = list(topic.tasks.select_related("appeal"))
    if not tasks:
        return "尚未安排实施任务"
    unfinished = [t.title for t in tasks if not t.is_finished]
    if unfinished:
        return f"还有 {len(unfinished)} 项实施任务未完成：{'、'.join(unfinished[:5])}"
    return None


def _result_notice(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    if topic_notices(topic, Notice.Kind.RESULT).filter(starts_at__lte=now).exists():
        return None
    return "尚未发布结果公示"


def _feedback(topic: Topic, step: TopicStep, now: datetime) -> str | None:
    return None if topic.feedback.exists() else "尚未向居民反馈情况"


CHECKS: dict[str, Callable[[Topic, TopicStep, datetime], str | None]] = {
    Requirement.TOPIC_NOTICE: _topic_notice,
    Requirement.MEETING_MINUTES: _meeting_minutes,
    Requirement.DECISION: _decision,
    Requirement.TASKS_DONE: _tasks_done,
    Requirement.RESULT_NOTICE: _result_notice,
    Requirement.FEEDBACK: _feedback,
}


def missing(topic: Topic, step: TopicStep, now: datetime) -> list[str]:
    out = []
    for code in step.definition.requires:
        message = CHECKS[code](topic, step, now)
        if message:
            out.append(message)
    return out


def checklist(topic: Topic, step: TopicStep, now: datetime) -> list[tuple[str, str | None]]:
    """(requirement label, what is missing or None) for the step's page."""
    return [
        (str(Requirement(code).label), CHECKS[code](topic, step, now)) for code in step.definition.requires
    ]
