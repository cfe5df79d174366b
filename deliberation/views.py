"""Pages of deliberation: the list (staff) or 议事·表决 (residents), a topic with its steps and the actions of
its current step. Meetings are in ``views_meetings``, votes in ``views_votes``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals.selectors import units_serving
from deliberation import forms as f
from deliberation import services
from deliberation.models import Evaluation, Topic
from deliberation.progress import steps_of
from deliberation.requirements import SUBJECT
from deliberation.selectors import (
    is_runner,
    my_ballot,
    my_proposals,
    open_votes_for,
    own_buildings,
    proposable_communities,
    topic_people,
    visible_topics,
)
from deliberation.workflow import EVENT_LABELS
from linli import clock
from linli.refusals import REFUSALS, refusal
from notices.selectors import run_communities, subject_notices
from spreadsheets.lists import DATETIME, list_response, local, wants_xlsx


def _proposals(scope: Scope, form: f.ProposeForm | None = None) -> dict[str, Any]:
    """我的提议 and the form to propose a topic, for anybody who lives in (or is registered with) a community."""
    communities = proposable_communities(scope)
    context: dict[str, Any] = {"my_proposals": my_proposals(scope)[:30]}
    if communities.exists():
        context["propose_form"] = form or f.ProposeForm(
            communities=communities, buildings=own_buildings(scope)
        )
        context["several_communities"] = communities.count() > 1
    return context


def _home(request, propose_form: f.ProposeForm | None = None):
    scope = Scope.of(request.user)
    now = clock.now()
    topics = visible_topics(scope).order_by("-created_at")
    proposals = _proposals(scope, propose_form)
    if not scope.is_staff_like:
        votes = [(v, my_ballot(scope, v)) for v in open_votes_for(scope, now)]
        public = topics.exclude(status__in=[Topic.Status.PROPOSED, Topic.Status.DECLINED])
        return render(
            request,
            "deliberation/resident_home.html",
            {"topics": public[:30], "votes": votes, **proposals},
        )
    communities = list(run_communities(scope))
    form = None
    if communities:
        form = f.TopicForm(buildings=scope.buildings().filter(grid__path__startswith=communities[0].path))
    pending = [(t, is_runner(scope, t)) for t in topics.filter(status=Topic.Status.PROPOSED)[:50]]
    status = request.GET.get("status", "")
    if status in Topic.Status.values:
        topics = topics.filter(status=status)
    if wants_xlsx(request):
        return _topics_workbook(topics, status)
    return render(
        request,
        "deliberation/list.html",
        {"topics": topics[:200], "form": form, "community": communities[0] if communities else None,
         "communities": communities[:3], "statuses": Topic.Status.choices, "status": status, "pending": pending,
         "templates": f.AcceptForm.base_fields["template"].choices, **proposals},  # type: ignore[attr-defined]
    )  # fmt: skip


def _topics_workbook(topics, status: str):
    rows = (
        [
            t.pk,
            t.title,
            t.community.name,
            t.building.name if t.building else "",
            t.get_source_display(),
            t.template.name if t.template else "",
            t.current_step.name if t.current_step else "",
            t.get_status_display(),
            local(t.created_at),
            local(t.finished_at),
        ]
        for t in topics.select_related("community", "building", "template", "current_step")
    )
    return list_response(
        title="议题",
        filename="topics.xlsx",
        headers=["编号", "议题", "社区", "楼栋", "来源", "流程", "当前步骤", "状态", "提出时间", "完成时间"],
        rows=rows,
        filters={"状态": str(Topic.Status(status).label) if status else ""},
        formats=[None] * 8 + [DATETIME, DATETIME],
    )


@login_required
def home(request):
    return _home(request)


@login_required
@require_POST
def topic_propose(request):
    """A resident proposes a topic; bad input is shown on the page with what they typed, nothing is saved."""
    scope = Scope.of(request.user)
    communities = proposable_communities(scope)
    form = f.ProposeForm(request.POST, communities=communities, buildings=own_buildings(scope))
    if not form.is_valid():
        messages.error(
            request, "请检查填写的内容：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
        return _home(request, form)
    d = form.cleaned_data
    try:
        services.topic_propose(
            user=request.user, title=d["title"], body=d["body"], building=d.get("building"),
            community=d.get("community"),
        )  # fmt: skip
    except REFUSALS as exc:
        refusal(request, exc)
        return _home(request, form)
    messages.success(request, "已提交提议，社区受理后会通知您")
    return redirect("deliberation-home")


@login_required
@require_POST
def topic_new(request):
    scope = Scope.of(request.user)
    communities = list(run_communities(scope))
    if not communities:
        raise Http404
    community = communities[0]
    form = f.TopicForm(
        request.POST, buildings=scope.buildings().filter(grid__path__startswith=community.path)
    )
    if not form.is_valid():
        messages.error(
            request, "请检查填写的内容：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("deliberation-home")
    d = form.cleaned_data
    try:
        topic = services.topic_create(
            user=request.user, community=community, title=d["title"], body=d["body"], template_code=d["template"],
            building=d.get("building"), affected_parties=d.get("affected_parties", ""),
        )  # fmt: skip
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("deliberation-home")
    messages.success(request, "已确定议题")
    return redirect("topic-detail", pk=topic.pk)


def _staff_forms(scope: Scope, topic: Topic) -> dict:
    people = topic_people(scope, topic)
    buildings = scope.buildings().filter(grid__path__startswith=topic.community.path)
    me = scope.person
    return {
        "advance": f.AdvanceForm(auto_id="advance_%s"),
        "notice": f.NoticeForm(initial={"kind": "topic", "days": 7}, auto_id="notice_%s"),
        "result_notice": f.NoticeForm(initial={"kind": "result", "days": 7}, auto_id="result_%s"),
        "meeting": f.MeetingForm(
            people=people, initial={"convenor": me.pk if me else None}, auto_id="meeting_%s"
        ),
        "vote": f.VoteForm(
            buildings=buildings,
            initial={"buildings": [topic.building_id] if topic.building_id else []},
            auto_id="vote_%s",
        ),
        "decision": f.DecisionForm(auto_id="decision_%s"),
        "task": f.TaskForm(people=people, units=units_serving(topic.community), auto_id="task_%s"),
        "feedback": f.FeedbackForm(auto_id="feedback_%s"),
        "close": f.ReasonForm(auto_id="close_%s"),
    }


def _labelled(events) -> list:
    """The timeline, each row with what happened in words (a proposal or a refusal has no step)."""
    rows = list(events)
    for e in rows:
        e.label = EVENT_LABELS.get(e.action, e.action)
    return rows


@login_required
def topic_detail(request, pk: int):
    scope = Scope.of(request.user)
    topic = get_object_or_404(visible_topics(scope), pk=pk)
    now = clock.now()
    runner = is_runner(scope, topic)
    steps = steps_of(topic, now)
    person = scope.person
    context: dict[str, Any] = {
        "topic": topic,
        "steps": steps,
        "current": next((s for s in steps if s["state"] == "current"), None),
        "runner": runner,
        "notices": subject_notices(SUBJECT, topic.pk),
        "meetings": topic.meetings.all(),
        "votes": topic.votes.all(),
        "decisions": topic.decisions.all(),
        "tasks": topic.tasks.select_related("appeal", "owner", "unit"),
        "feedback": topic.feedback.all(),
        "events": _labelled(topic.events.select_related("actor__person")),
        "evaluations": topic.evaluations.count(),
        "now": now,
    }
    if runner and topic.status == Topic.Status.ACTIVE:
        context["forms"] = _staff_forms(scope, topic)
    if runner and topic.status == Topic.Status.PROPOSED:
        context["templates"] = f.AcceptForm.base_fields["template"].choices  # type: ignore[attr-defined]
    if (
        not runner
        and person is not None
        and topic.feedback.exists()
        and not Evaluation.objects.filter(topic=topic, person=person).exists()
    ):
        context["evaluate_form"] = f.EvaluateForm()
    context["my_ballots"] = {v.pk: my_ballot(scope, v) for v in context["votes"]}
    return render(request, "deliberation/topic.html", context)
