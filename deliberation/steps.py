"""The deliberation loop on the shared step machinery (``linli.steps``): a ``Loop`` for topics and one for each
record a topic holds (meetings, votes, tasks), ``begin`` with the community's staff as the actor, the topic's
event row.

One lock order for every service: the topic first, then the meeting or task; a vote's services lock the vote,
then its topic. Refusals: a wrong state first (409: of two people acting at once, the loser hears what came
first), then the lack of right (403), then bad input (400).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from access.scope import Scope
from deliberation import workflow as w
from deliberation.models import ImplementationTask, Meeting, Topic, TopicEvent, TopicStep, Vote
from linli.errors import PermissionDenied
from linli.steps import Loop, holder_of
from notices.selectors import runs_community

M = TypeVar("M", bound=models.Model)

TOPICS: Loop[Topic] = Loop(
    model=Topic,
    noun="议题",
    transitions=w.TRANSITIONS,
    labels=w.LABELS,
    event_model=TopicEvent,
    event_fk="topic",
    related=("community", "current_step", "template"),
    key="topic",
    wrong_state=w.WRONG_STATE,
)
MEETINGS: Loop[Meeting] = Loop(
    model=Meeting,
    noun="会议",
    transitions=w.MEETING_TRANSITIONS,
    labels=w.MEETING_LABELS,
    key="meeting",
    wrong_state=w.MEETING_WRONG_STATE,
)
VOTES: Loop[Vote] = Loop(
    model=Vote,
    noun="表决",
    transitions=w.VOTE_TRANSITIONS,
    labels=w.VOTE_LABELS,
    related=("topic__community",),
    key="vote",
    wrong_state=w.VOTE_WRONG_STATE,
)
TASKS: Loop[ImplementationTask] = Loop(
    model=ImplementationTask,
    noun="任务",
    transitions=w.TASK_TRANSITIONS,
    labels=w.TASK_LABELS,
    key="task",
    wrong_state=w.TASK_WRONG_STATE,
)


def refuse_unless_runner(user, topic: Topic, action: str) -> Scope:
    """The community's staff (and the administrator) run its topics; anybody else is refused (403)."""
    scope = Scope.of(user)
    if not runs_community(scope, topic.community):
        raise PermissionDenied(f"只有{topic.community.name}的社区工作者可以{w.RUNNER_STEPS[action]}")
    return scope


def begin(user, topic_id: int, action: str) -> tuple[Topic, Scope]:
    """Lock the topic, then refuse: the wrong state first (409), then the lack of right (403)."""
    topic = TOPICS.lock(topic_id)
    TOPICS.check_state(topic, action)
    return topic, refuse_unless_runner(user, topic, action)


def begin_held(loop: Loop[M], user, pk: int, action: str) -> M:
    """A record a topic holds (a meeting, a task): the topic locked first, then the record; the record's wrong
    state (409), then the right (403). The record comes back with its locked topic."""
    topic = TOPICS.lock(holder_of(loop.model, pk, "topic_id", key=loop.key, noun=loop.noun))
    held = loop.lock(pk)
    loop.check_state(held, action)
    refuse_unless_runner(user, topic, action)
    held.topic = topic  # type: ignore[attr-defined]
    return held


def begin_vote(user, vote_id: int, action: str, *, check=None) -> tuple[Vote, Topic]:
    """A vote's staff steps: the vote locked, then its topic; the vote's wrong state (and ``check``'s) 409, then
    the right (403)."""
    vote = VOTES.lock(vote_id)
    VOTES.check_state(vote, action)
    if check is not None:
        check(vote)
    topic = TOPICS.lock(vote.topic_id)
    refuse_unless_runner(user, topic, action)
    return vote, topic


def current_topic_step(topic: Topic) -> TopicStep:
    return TopicStep.objects.select_related("definition").get(topic=topic, definition=topic.current_step)


def record(
    topic: Topic, *, user, action: str, note: str = "", from_status: str = "", step: str = ""
) -> TopicEvent:
    """The topic's event row: the step's name defaults to the topic's current step; a step that leaves the
    state as it was records it as both."""
    row = TOPICS.record(
        topic,
        user=user,
        action=action,
        from_state=from_status or topic.status,
        note=note,
        step=step or (topic.current_step.name if topic.current_step else ""),
    )
    assert isinstance(row, TopicEvent)
    return row


def url(topic: Topic) -> str:
    return f"/deliberation/topics/{topic.pk}/"
