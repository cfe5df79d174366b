"""Pages of 居民公约: the list (and a new covenant), a covenant with its versions and the steps of the open one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from covenants import services
from covenants.scope import may_run, visible_covenants, visible_versions
from linli.errors import ValidationError
from linli.refusals import REFUSALS, refusal
from notices.selectors import chosen_run_community, run_communities

EVENT_LABELS = {**services.LABELS, "draft": "起草", "supersede": "废止"}


@login_required
def covenant_list(request):
    scope = Scope.of(request.user)
    runnable = list(run_communities(scope)[:50])
    if request.method == "POST":
        try:
            community = chosen_run_community(runnable, request.POST.get("community"))
            version = services.covenant_create(
                user=request.user,
                community=community,
                compound=request.POST.get("compound", ""),
                title=request.POST.get("title", ""),
                text=request.POST.get("text", ""),
            )
        except REFUSALS as exc:
            refusal(request, exc)
        else:
            messages.success(request, "公约草案已保存")
            return redirect("covenants-detail", pk=version.covenant_id)
    covenants = visible_covenants(scope).select_related("community")
    if not covenants.exists() and not runnable:
        raise Http404
    return render(request, "covenants/list.html", {"covenants": covenants[:200], "runnable": runnable})


@login_required
def covenant_detail(request, pk: int):
    scope = Scope.of(request.user)
    covenant = get_object_or_404(visible_covenants(scope).select_related("community"), pk=pk)
    versions = list(visible_versions(scope, covenant).select_related("topic", "decision", "notice"))
    events = []
    for v in versions:
        for e in v.events.select_related("actor__person"):
            e.label = EVENT_LABELS.get(e.action, e.action)  # type: ignore[attr-defined]
            e.number = v.number  # type: ignore[attr-defined]
            events.append(e)
    can_run = may_run(scope, covenant)
    return render(
        request,
        "covenants/detail.html",
        {
            "covenant": covenant,
            "versions": versions,
            "current": next((v for v in versions if v.status == "in_force"), None),
            "open": next((v for v in versions if v.status in services.OPEN), None) if can_run else None,
            "can_run": can_run,
            "events": sorted(events, key=lambda e: (e.at, e.pk)),
        },
    )


@login_required
@require_POST
def covenant_step(request, pk: int, action: str):
    scope = Scope.of(request.user)
    covenant = get_object_or_404(visible_covenants(scope), pk=pk)
    post = request.POST
    version = (
        covenant.versions.filter(pk=post.get("version") or 0).first()
        if (post.get("version") or "").isdigit()
        else None
    )
    done = {
        "revise": "修订草案已保存",
        "edit": "草案已修改",
        "deliberate": "已提交协商：议题已按六步流程开始",
        "adopt": "已确认居民表决通过",
        "reject": "已确认未通过",
        "publish": "已公布施行，公示已发布",
    }
    if action not in done:
        raise Http404
    try:
        if action == "revise":
            services.covenant_revise(
                user=request.user,
                covenant_id=covenant.pk,
                text=post.get("text", ""),
                changes=post.get("changes", ""),
            )
        elif version is None:
            raise ValidationError({"version": "请选择公约版本"})
        elif action == "edit":
            services.version_edit(
                user=request.user,
                version_id=version.pk,
                text=post.get("text", ""),
                changes=post.get("changes", ""),
            )
        else:
            step = {"deliberate": services.version_deliberate, "adopt": services.version_adopt,
                    "reject": services.version_reject, "publish": services.version_publish}[action]  # fmt: skip
            step(user=request.user, version_id=version.pk)
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("covenants-detail", pk=covenant.pk)
