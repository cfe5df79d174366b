"""The page of a community's deputies and CPPCC members (两代表一委员 分片联系)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from cobuilding.scope import keeps_structure
from councils.liaisons import liaison_assign, liaison_end, visible_liaisons, work_of
from councils.models import Liaison
from linli import clock
from linli.refusals import REFUSALS, refusal


@login_required
def community_liaisons(request, pk: int):
    scope = Scope.of(request.user)
    community = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    keeper = keeps_structure(scope, community)
    now = clock.now()
    start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = [
        (x, work_of(x, start, now))
        for x in visible_liaisons(scope).filter(community=community).order_by("ended_at", "kind")
    ]
    return render(
        request,
        "councils/liaisons.html",
        {
            "community": community,
            "rows": rows,
            "keeper": keeper,
            "kinds": Liaison.Kind.choices,
            "people": scope.persons()
            .filter(community__path__startswith=community.parent.path)
            .order_by("name")[:300]
            if keeper and community.parent
            else [],
        },
    )


@login_required
@require_POST
def liaison_act(request, pk: int):
    scope = Scope.of(request.user)
    community = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    post = request.POST
    try:
        if post.get("end"):
            liaison = get_object_or_404(
                visible_liaisons(scope).filter(community=community), pk=post.get("end")
            )
            liaison_end(user=request.user, liaison_id=liaison.pk)
            messages.success(request, "已结束分片联系")
        else:
            person = scope.persons().filter(pk=post.get("person") or 0).first()
            if person is None:
                messages.error(request, "请选择人员")
            else:
                liaison_assign(
                    user=request.user,
                    person=person,
                    kind=post.get("kind", ""),
                    community=community,
                    contact_day=post.get("contact_day", ""),
                )
                messages.success(request, "已安排分片联系")
    except (*REFUSALS, ValueError) as exc:
        refusal(request, exc)
    return redirect("councils-liaisons", community.pk)
