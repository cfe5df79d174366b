"""Pages of 楼院三长: a community's buildings with their heads, a building's appointments, the 聘书."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from cobuilding.scope import keeps_structure
from estates import selectors
from estates.models import Steward
from estates.services import steward_appoint, steward_end
from linli import clock
from linli.refusals import REFUSALS, refusal


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
def index(request):
    scope = Scope.of(request.user)
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY).order_by("path")
    if len(communities) == 1:
        return redirect("estates-community", communities[0].pk)
    return render(request, "estates/index.html", {"communities": communities})


@login_required
def community(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    active = (
        Steward.objects.filter(ended_at__isnull=True).select_related("person").annotate(n=Count("households"))
    )
    buildings = (
        scope.buildings()
        .filter(grid__path__startswith=area.path)
        .select_related("grid")
        .annotate(n_households=Count("households", distinct=True))
        .prefetch_related(Prefetch("stewards", queryset=active, to_attr="active"))
        .order_by("code")
    )
    return render(
        request,
        "estates/community.html",
        {"community": area, "buildings": buildings, "coverage": selectors.coverage(area)},
    )


@login_required
def building(request, pk: int):
    scope = Scope.of(request.user)
    b = get_object_or_404(scope.buildings().select_related("grid"), pk=pk)
    community = b.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    keeper = community is not None and keeps_structure(scope, community)
    now = clock.now()
    start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = [
        (s, selectors.work_of(s, start, now))
        for s in Steward.objects.filter(building=b)
        .select_related("person")
        .prefetch_related("households")
        .order_by("ended_at", "post")
    ]
    return render(
        request,
        "estates/building.html",
        {
            "building": b,
            "community": community,
            "rows": rows,
            "keeper": keeper,
            "posts": Steward.Post.choices,
            "households": b.households.order_by("number") if keeper else [],
            "people": scope.persons().filter(community=community).order_by("-is_party_member", "name")[:300]
            if keeper
            else [],
        },
    )


@login_required
@require_POST
def building_act(request, pk: int):
    scope = Scope.of(request.user)
    b = get_object_or_404(scope.buildings(), pk=pk)
    post = request.POST
    person = scope.persons().filter(pk=_int(post.get("person")) or 0).first()
    try:
        if person is None:
            messages.error(request, "请选择人员")
        else:
            steward = steward_appoint(
                user=request.user,
                person=person,
                building=b,
                post=post.get("post", ""),
                entrance=post.get("entrance", ""),
                households=[i for v in post.getlist("households") if (i := _int(v)) is not None],
            )
            messages.success(request, f"已聘任 {steward}，聘书编号 {steward.letter_no}")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("estates-building", b.pk)


@login_required
@require_POST
def steward_end_view(request, pk: int):
    scope = Scope.of(request.user)
    steward = get_object_or_404(selectors.stewards(scope), pk=pk)
    try:
        steward_end(user=request.user, steward_id=steward.pk, reason=request.POST.get("reason", ""))
        messages.success(request, "已办理卸任")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("estates-building", steward.building_id)
