"""Pages of the councils: the list, a council (members, meetings, issue list, decisions) and a meeting's agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import AREA_MANAGER_ROLES, Scope
from areas.models import Area
from councils import forms, selectors, services
from councils.models import Decision, Meeting
from councils.scope import councils, keeps_council, may_finish_decision
from linli import clock
from linli.refusals import REFUSALS, refusal

EVENT_LABELS = {"schedule": "安排会议", "hold": "召开", "cancel": "取消"}


def _kept_areas(scope: Scope):
    qs = Area.objects.filter(kind__in=[Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY])
    if scope.is_admin:
        return qs.order_by("path")
    nodes = scope.nodes(AREA_MANAGER_ROLES)
    return qs.filter(pk__in=[a.pk for a in qs if any(a.path.startswith(n.path) for n in nodes)]).order_by(
        "path"
    )


def _errors(form) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
def index(request):
    scope = Scope.of(request.user)
    kept = _kept_areas(scope)
    return render(
        request,
        "councils/index.html",
        {
            "councils": councils(scope).order_by("area__path", "name"),
            "kept_areas": kept,
            "form": forms.CouncilForm() if kept else None,
        },
    )


@login_required
@require_POST
def council_new(request):
    scope = Scope.of(request.user)
    area = get_object_or_404(_kept_areas(scope), pk=_int(request.POST.get("area")) or 0)
    form = forms.CouncilForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("councils-index")
    try:
        council = services.council_create(user=request.user, area=area, **form.cleaned_data)
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("councils-index")
    return redirect("councils-detail", council.pk)


@login_required
def council_detail(request, pk: int):
    scope = Scope.of(request.user)
    council = get_object_or_404(councils(scope), pk=pk)
    keeper = keeps_council(scope, council)
    decisions = list(
        Decision.objects.filter(meeting__council=council).select_related(
            "issue", "owner_unit", "owner_person", "meeting", "project", "appeal"
        )
    )
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "seats": council.seats.select_related("unit", "person"),
            "meetings": council.meetings.all(),
            "issues": council.issues.select_related("community", "raised_by__unit", "raised_by__person"),
            "decisions": [(d, may_finish_decision(scope, d)) for d in decisions],
            "today": clock.now().date(),
            "keeper": keeper,
            "units": scope.units().filter(is_active=True).order_by("name") if keeper else [],
            "communities": scope.areas().filter(kind=Area.Kind.COMMUNITY, path__startswith=council.area.path)
            if keeper
            else [],
            "meeting_form": forms.MeetingForm(),
            "issue_form": forms.IssueForm(),
        },
    )


@login_required
@require_POST
def council_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    council = get_object_or_404(councils(scope), pk=pk)
    post = request.POST
    try:
        if action == "seat":
            unit = scope.units().filter(pk=_int(post.get("unit")) or 0).first()
            services.seat_add(user=request.user, council_id=council.pk, unit=unit, post=post.get("post", ""))
        elif action == "meeting":
            form = forms.MeetingForm(post)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return redirect("councils-detail", council.pk)
            meeting = services.meeting_schedule(user=request.user, council_id=council.pk, **form.cleaned_data)
            return redirect("councils-meeting", meeting.pk)
        elif action == "issue":
            issue_form = forms.IssueForm(post)
            if not issue_form.is_valid():
                messages.error(request, _errors(issue_form))
                return redirect("councils-detail", council.pk)
            community = (
                scope.areas().filter(pk=_int(post.get("community")) or 0, kind=Area.Kind.COMMUNITY).first()
            )
            seat = council.seats.filter(pk=_int(post.get("raised_by")) or 0).first()
            services.issue_raise(
                user=request.user,
                council_id=council.pk,
                community=community,
                raised_by=seat,
                **issue_form.cleaned_data,
            )
        else:
            raise Http404
        messages.success(request, "已保存")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("councils-detail", council.pk)


def _meeting(scope: Scope, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.filter(council__in=councils(scope)).select_related("council__area"), pk=pk
    )


@login_required
def meeting_detail(request, pk: int):
    scope = Scope.of(request.user)
    meeting = _meeting(scope, pk)
    council = meeting.council
    return render(
        request,
        "councils/meeting.html",
        {
            "meeting": meeting,
            "council": council,
            "keeper": keeps_council(scope, council),
            "seats": council.seats.select_related("unit", "person"),
            "attendees": meeting.attendees.select_related("unit", "person"),
            "open_issues": selectors.open_issues(council),
            "to_follow_up": selectors.to_follow_up(meeting),
            "decisions": meeting.decisions.select_related("issue", "owner_unit", "project", "appeal"),
            "follow_ups": meeting.follow_ups.select_related("decision__issue"),
            "events": [
                (e, EVENT_LABELS.get(e.action, e.action)) for e in meeting.events.select_related("actor")
            ],
            "decision_form": forms.DecisionForm(),
            "follow_up_form": forms.FollowUpForm(),
        },
    )


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    meeting = _meeting(scope, pk)
    post = request.POST
    try:
        if action == "hold":
            attendees = [i for v in post.getlist("attendees") if (i := _int(v)) is not None]
            services.meeting_hold(
                user=request.user,
                meeting_id=meeting.pk,
                minutes=post.get("minutes", ""),
                attendee_ids=attendees,
            )
        elif action == "cancel":
            services.meeting_cancel(user=request.user, meeting_id=meeting.pk, reason=post.get("reason", ""))
        elif action == "decide":
            form = forms.DecisionForm(post)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return redirect("councils-meeting", meeting.pk)
            data = form.cleaned_data
            seat = meeting.council.seats.filter(pk=_int(post.get("owner")) or 0).first()
            services.decision_take(
                user=request.user,
                meeting_id=meeting.pk,
                issue_id=_int(post.get("issue")) or 0,
                kind=data["kind"],
                text=data["text"],
                due=data["due"],
                owner_unit=seat.unit if seat else None,
                owner_person=seat.person if seat else None,
                budget_fen=int((data["budget_yuan"] or 0) * 100),
            )
        elif action == "follow_up":
            follow_form = forms.FollowUpForm(post)
            if not follow_form.is_valid():
                messages.error(request, _errors(follow_form))
                return redirect("councils-meeting", meeting.pk)
            services.follow_up_record(
                user=request.user,
                meeting_id=meeting.pk,
                decision_id=_int(post.get("decision")) or 0,
                **follow_form.cleaned_data,
            )
        else:
            raise Http404
        messages.success(request, "已保存")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("councils-meeting", meeting.pk)


@login_required
@require_POST
def decision_finish(request, pk: int):
    scope = Scope.of(request.user)
    decision = get_object_or_404(Decision.objects.filter(meeting__council__in=councils(scope)), pk=pk)
    try:
        services.decision_finish(
            user=request.user, decision_id=decision.pk, note=request.POST.get("note", "")
        )
        messages.success(request, "已标记落实")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("councils-detail", decision.meeting.council_id)
