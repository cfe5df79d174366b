"""The steps of a topic from its page: each posted action calls its deliberation service and shows the result."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals.selectors import units_serving
from deliberation import forms as f
from deliberation import implementation, services
from deliberation.models import Topic
from deliberation.selectors import (
    topic_people,
    visible_topics,
)
from linli.errors import ValidationError
from linli.refusals import REFUSALS, refusal


def _actions(
    user, topic: Topic, scope: Scope, post
) -> dict[str, tuple[type, Callable[[dict], object], dict]]:
    pk = topic.pk
    people = topic_people(scope, topic)
    buildings = scope.buildings().filter(grid__path__startswith=topic.community.path)
    from deliberation import meetings, voting

    def task(d: dict) -> object:
        if d["kind"] == "appeal":
            return implementation.task_add_appeal(user=user, topic_id=pk, title=d["title"], body=d["title"])
        return implementation.task_add(
            user=user,
            topic_id=pk,
            title=d["title"],
            owner=d.get("owner"),
            unit=d.get("unit"),
            due=d.get("due"),
        )

    def vote(d: dict) -> object:
        form = f.VoteForm(post, buildings=buildings)
        form.is_valid()
        return voting.vote_open(
            user=user, topic_id=pk, title=d["title"], question=d["question"], electorate=d["electorate"],
            buildings=list(d.get("buildings") or []), matter=d.get("matter") or "", secret=d["secret"],
            one_per_household=d["one_per_household"], opens_at=d["opens_at"], closes_at=d["closes_at"],
            options=form.option_list(),
        )  # fmt: skip

    return {
        "advance": (
            f.AdvanceForm,
            lambda d: services.topic_advance(user=user, topic_id=pk, note=d["note"]),
            {},
        ),
        "notice": (
            f.NoticeForm,
            lambda d: services.topic_publish_notice(
                user=user, topic_id=pk, kind=d["kind"], body=d["body"], days=d["days"]
            ),
            {},
        ),
        "meeting": (
            f.MeetingForm,
            lambda d: meetings.meeting_schedule(
                user=user,
                topic_id=pk,
                form=d["form"],
                title=d["title"],
                place=d["place"],
                starts_at=d["starts_at"],
                convenor=d["convenor"],
            ),  # fmt: skip
            {"people": people},
        ),
        "vote": (f.VoteForm, vote, {"buildings": buildings}),
        "decision": (
            f.DecisionForm,
            lambda d: implementation.decision_record(
                user=user, topic_id=pk, text_=d["text"], adopted=d["adopted"]
            ),
            {},
        ),
        "task": (f.TaskForm, task, {"people": people, "units": units_serving(topic.community)}),
        "task_done": (
            f.TaskFinishForm,
            lambda d: implementation.task_finish(
                user=user, task_id=_task_of(topic, d["task"]), report=d["report"]
            ),
            {},
        ),
        "feedback": (
            f.FeedbackForm,
            lambda d: implementation.feedback_report(user=user, topic_id=pk, body=d["body"]),
            {},
        ),
        "accept": (
            f.AcceptForm,
            lambda d: services.topic_accept(user=user, topic_id=pk, template_code=d["template"]),
            {},
        ),
        "decline": (
            f.DeclineForm,
            lambda d: services.topic_decline(user=user, topic_id=pk, reason=d["reason"]),
            {},
        ),
        "close": (
            f.ReasonForm,
            lambda d: services.topic_close(user=user, topic_id=pk, reason=d["reason"]),
            {},
        ),
        "evaluate": (
            f.EvaluateForm,
            lambda d: implementation.topic_evaluate(
                user=user, topic_id=pk, rating=d["rating"], comment=d["comment"]
            ),
            {},
        ),
    }


def _task_of(topic: Topic, task_id: int) -> int:
    if not topic.tasks.filter(pk=task_id).exists():
        raise ValidationError({"task": "该议题没有这项任务"})
    return task_id


DONE_MESSAGES = {
    "advance": "已完成本步骤",
    "notice": "已发布公示",
    "meeting": "已安排会议",
    "vote": "已发起表决",
    "decision": "已记录决议",
    "task": "已安排实施任务",
    "task_done": "已登记任务完成",
    "feedback": "已反馈情况",
    "accept": "已受理提议，议题进入议事流程",
    "decline": "已答复提议人：不予受理",
    "close": "已终止议题",
    "evaluate": "感谢您的评议",
}


@login_required
@require_POST
def topic_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    topic = get_object_or_404(visible_topics(scope), pk=pk)
    actions = _actions(request.user, topic, scope, request.POST)
    if action not in actions:
        raise Http404
    form_class, perform, kwargs = actions[action]
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(
            request,
            "请检查填写的内容："
            + "；".join(
                f"{form.fields[k].label if k in form.fields else ''}{e}"
                for k, errs in form.errors.items()
                for e in errs
            ),
        )
        return redirect("topic-detail", pk=pk)
    try:
        result = perform(form.cleaned_data)
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("topic-detail", pk=pk)
    messages.success(request, DONE_MESSAGES[action])
    if action == "meeting":
        return redirect("meeting-detail", pk=result.pk)  # type: ignore[attr-defined]
    if action == "vote":
        return redirect("vote-detail", pk=result.pk)  # type: ignore[attr-defined]
    if action == "decline":
        return redirect("deliberation-home")
    return redirect("topic-detail", pk=pk)
