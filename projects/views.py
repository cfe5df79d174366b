"""Pages of the project ledger (项目库)."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from access.scope import Scope
from appeals.selectors import visible_appeals
from areas.models import Area
from linli.refusals import REFUSALS, refusal
from needs.services import community_staff_of
from projects import services
from projects.models import Project
from projects.selectors import visible_projects
from spreadsheets import safe
from units.models import Unit


class ProjectForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Project.Kind.choices)
    title = forms.CharField(label="项目名称", max_length=120)
    description = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    budget_yuan = forms.DecimalField(
        label="预算（元）", min_value=0, max_value=100_000_000, decimal_places=2, initial=0
    )
    appeal_ids = forms.RegexField(
        label="来源诉求编号（选填，逗号分隔）",
        required=False,
        regex=r"^\s*\d+(\s*[,，、]\s*\d+)*\s*$",
        error_messages={"invalid": "请填写诉求编号，用逗号分隔"},
    )
    topic_id = forms.IntegerField(label="来源议题编号（选填）", required=False, min_value=1)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=120)
    due = forms.DateField(label="计划完成", widget=forms.DateInput(attrs={"type": "date"}))
    weight = forms.IntegerField(label="权重", min_value=1, max_value=100, initial=1)


@login_required
def ledger(request):
    scope = Scope.of(request.user)
    projects = visible_projects(scope)
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY).order_by("path")
    community = None
    wanted = request.GET.get("community", "")
    if wanted.isdigit():
        community = communities.filter(pk=wanted).first()
        projects = projects.filter(community=community)
    done, counted = services.ledger_rate(projects)
    manageable = [c for c in communities[:50] if community_staff_of(scope, c)]
    if not projects.exists() and not manageable and not scope.unit_ids:
        raise Http404
    return render(
        request,
        "projects/ledger.html",
        {
            "projects": projects.order_by("status", "-created_at")[:300],
            "done": done,
            "counted": counted,
            "rate": f"{done * 100 // counted}%" if counted else "—",
            "community": community,
            "manageable": manageable,
            "form": ProjectForm(),
        },
    )


@login_required
@require_POST
def project_new(request):
    scope = Scope.of(request.user)
    community = get_object_or_404(
        scope.areas().filter(kind=Area.Kind.COMMUNITY), pk=request.POST.get("community") or 0
    )
    form = ProjectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查项目内容")
        return redirect("projects-ledger")
    data = form.cleaned_data
    ids = {int(x) for x in re.findall(r"\d+", data.get("appeal_ids") or "")}
    appeals = list(visible_appeals(scope).filter(pk__in=ids))
    if len(appeals) != len(ids):
        messages.error(request, "有的诉求编号不存在或不在您的范围内")
        return redirect("projects-ledger")
    topic = None
    if data.get("topic_id"):
        from deliberation.models import Topic

        topic = Topic.objects.filter(pk=data["topic_id"], community=community).first()
        if topic is None:
            messages.error(request, f"{community.name}没有编号为 {data['topic_id']} 的议题")
            return redirect("projects-ledger")
    try:
        project = services.project_create(
            user=request.user,
            community=community,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            budget_fen=int(data["budget_yuan"] * 100),
            appeals=appeals,
            topic=topic,
        )
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("projects-ledger")
    messages.success(request, "已立项")
    return redirect("projects-detail", pk=project.pk)


@login_required
def project_detail(request, pk: int):
    scope = Scope.of(request.user)
    project = get_object_or_404(visible_projects(scope), pk=pk)
    my_units = Unit.objects.filter(pk__in=scope.unit_ids) & services.co_building_units(project.community)
    events = list(project.events.select_related("actor__person"))
    for event in events:
        event.label = services.LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "milestones": project.milestones.all(),
            "events": events,
            "staff": community_staff_of(scope, project.community),
            "claim_units": my_units,
            "can_work": community_staff_of(scope, project.community)
            or project.claimed_by_id in scope.unit_ids,
            "milestone_form": MilestoneForm(),
            "appeals": project.appeals.all(),
        },
    )


@login_required
@require_POST
def project_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    project = get_object_or_404(visible_projects(scope), pk=pk)
    post = request.POST
    calls: dict[str, Callable[[], object]] = {
        "claim": lambda: services.project_claim(
            user=request.user, project_id=pk, unit=get_object_or_404(Unit, pk=post.get("unit") or 0)
        ),
        "milestone_done": lambda: services.milestone_done(
            user=request.user, project_id=pk, milestone_id=int(post.get("milestone") or 0)
        ),
        "complete": lambda: services.project_complete(
            user=request.user, project_id=pk, note=post.get("note", "")
        ),
        "cancel": lambda: services.project_cancel(
            user=request.user, project_id=pk, reason=post.get("reason", "")
        ),
    }
    if action == "milestone":
        form = MilestoneForm(post)
        if not form.is_valid():
            messages.error(request, "请检查节点内容")
            return redirect("projects-detail", pk=project.pk)
        calls["milestone"] = lambda: services.milestone_add(
            user=request.user, project_id=pk, **form.cleaned_data
        )
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, f"已{services.LABELS[action]}")
    return redirect("projects-detail", pk=project.pk)


@login_required
@require_POST
def ledger_publish(request):
    scope = Scope.of(request.user)
    community = get_object_or_404(
        scope.areas().filter(kind=Area.Kind.COMMUNITY), pk=request.POST.get("community") or 0
    )
    try:
        services.ledger_publish(user=request.user, community=community)
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, "台账已公示")
    return redirect(f"/projects/?community={community.pk}")


@login_required
def ledger_export(request):
    scope = Scope.of(request.user)
    projects = visible_projects(scope)
    wanted = request.GET.get("community", "")
    if wanted.isdigit():
        projects = projects.filter(community_id=wanted)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "项目台账"
    ws.append(["社区", "类型", "项目", "状态", "进度%", "认领单位", "预算（元）", "立项时间", "完成时间"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in projects:
        ws.append(
            safe.clean_row(
                [
                    p.community.name,
                    p.get_kind_display(),
                    p.title,
                    p.get_status_display(),
                    p.progress,
                    p.claimed_by.name if p.claimed_by else "",
                    p.budget_fen / 100,
                    p.created_at.strftime("%Y-%m-%d"),
                    p.done_at.strftime("%Y-%m-%d") if p.done_at else "",
                ]
            )
        )
    out = BytesIO()
    safe.save(wb, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
    return response
