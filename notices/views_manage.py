"""公示管理: community staff publish general notices on their board, see every notice with its objections, and
withdraw one with a reason. Only those who run the community see the page (anybody else: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from linli import clock
from linli.refusals import REFUSALS, refusal
from notices import services
from notices.forms import NoticePublishForm, NoticeWithdrawForm
from notices.selectors import managed_notices, runs_community
from spreadsheets.lists import DATETIME, list_response, local, wants_xlsx
from web.context_processors import nav_section


def _run_community(request, code: str) -> Area:
    community = get_object_or_404(Area, code=code, kind=Area.Kind.COMMUNITY)
    if not runs_community(Scope.of(request.user), community):
        raise Http404
    return community


def _page(request, community: Area, form: NoticePublishForm | None = None):
    now = clock.now()
    notices = list(managed_notices(community))
    current = [n for n in notices if n.status == n.Status.PUBLISHED and n.ends_at >= now]
    past = [n for n in notices if n not in current]
    return render(
        request,
        "notices/manage.html",
        {
            "community": community,
            "form": form or NoticePublishForm(),
            "current": current,
            "past": past,
            "now": now,
        },
    )


@login_required
@nav_section("deliberation")
def notice_manage(request, code: str):
    community = _run_community(request, code)
    if wants_xlsx(request):
        return list_response(
            title=f"{community.name} 公示",
            filename=f"notices-{community.code}.xlsx",
            headers=[
                "编号",
                "类型",
                "标题",
                "公示开始",
                "公示截止",
                "状态",
                "异议",
                "未答复异议",
                "撤回原因",
            ],
            rows=(
                [
                    n.pk,
                    n.get_kind_display(),
                    n.title,
                    local(n.starts_at),
                    local(n.ends_at),
                    n.get_status_display(),
                    n.n_objections,  # type: ignore[attr-defined]
                    n.n_unanswered,  # type: ignore[attr-defined]
                    n.withdrawn_reason,
                ]
                for n in managed_notices(community)
            ),
            formats=[None, None, None, DATETIME, DATETIME, None, "0", "0", None],
        )
    return _page(request, community)


@login_required
@require_POST
@nav_section("deliberation")
def notice_manage_publish(request, code: str):
    community = _run_community(request, code)
    form = NoticePublishForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "请检查填写的内容："
            + "；".join(f"{form.fields[k].label}：{e}" for k, errs in form.errors.items() for e in errs),
        )
        return _page(request, community, form)
    try:
        notice = services.notice_publish(user=request.user, community=community, **form.cleaned_data)
    except REFUSALS as exc:
        refusal(request, exc)
        return _page(request, community, form)
    messages.success(request, f"已发布公示：{notice.title}")
    return redirect("notice-manage", code=code)


@login_required
@require_POST
def notice_manage_withdraw(request, code: str, pk: int):
    community = _run_community(request, code)
    if not community.notices.filter(pk=pk).exists():
        raise Http404
    form = NoticeWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤回原因")
        return redirect("notice-manage", code=code)
    try:
        notice = services.notice_withdraw(user=request.user, notice_id=pk, reason=form.cleaned_data["reason"])
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, f"已撤回公示：{notice.title}")
    return redirect("notice-manage", code=code)
