"""The public community page and a notice's page, readable without logging in; objections need a login."""

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
from notices.public import sections_for
from notices.selectors import lives_in, public_notice, runs_community, works_in_community


def _community(code: str) -> Area:
    return get_object_or_404(Area, code=code, kind=Area.Kind.COMMUNITY)


def community_page(request, code: str):
    community = _community(code)
    now = clock.now()
    return render(
        request,
        "notices/community.html",
        {"community": community, "sections": sections_for(community, now), "now": now},
    )


def notice_page(request, code: str, pk: int):
    community = _community(code)
    now = clock.now()
    notice = public_notice(community, pk, now)
    if notice is None:
        raise Http404
    scope = Scope.of(request.user)
    signed_in = request.user.is_authenticated
    staff = signed_in and (runs_community(scope, community) or works_in_community(scope, community))
    may_object = signed_in and notice.is_running(now) and (staff or lives_in(scope, community))
    return render(
        request,
        "notices/notice.html",
        {
            "community": community,
            "notice": notice,
            "objections": list(notice.objections.all()),
            "running": notice.is_running(now),
            "may_object": may_object,
            "staff": staff,
            "answers": signed_in and runs_community(scope, community),
        },
    )


@login_required
@require_POST
def objection_new(request, code: str, pk: int):
    community = _community(code)
    if public_notice(community, pk, clock.now()) is None:
        raise Http404
    try:
        services.objection_raise(
            user=request.user,
            notice_id=pk,
            body=request.POST.get("body", ""),
            name=request.POST.get("name", ""),
        )
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, "已提交异议，社区会在公示期内答复。")
    return redirect("notice-page", code=code, pk=pk)


@login_required
@require_POST
def objection_answer(request, code: str, pk: int, objection_id: int):
    community = _community(code)
    notice = public_notice(community, pk, clock.now())
    if notice is None or not notice.objections.filter(pk=objection_id).exists():
        raise Http404
    try:
        services.objection_answer(
            user=request.user, objection_id=objection_id, answer=request.POST.get("answer", "")
        )
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, "已答复异议")
    return redirect("notice-page", code=code, pk=pk)
