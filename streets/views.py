"""Pages of 街长制: a community's streets with their 街长 and departments, kept by the community's staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from categories.models import Category
from cobuilding.scope import keeps_structure
from linli import clock
from linli.refusals import REFUSALS, refusal
from streets.figures import DEFINITIONS, street_figures
from streets.models import Street
from streets.selectors import led_streets, street_appeals, visible_streets, year_bounds
from streets.services import street_bind, street_create, street_set_head


@login_required
def index(request):
    scope = Scope.of(request.user)
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY).order_by("path")
    if len(communities) == 1:
        return redirect("streets-community", communities[0].pk)
    return render(
        request, "streets/index.html", {"communities": communities, "leads": bool(scope.street_ids)}
    )


@login_required
def street(request, pk: int):
    """A street: its 街长 and departments, this year's figures, and the appeals on it the user may read."""
    scope = Scope.of(request.user)
    s = get_object_or_404(
        visible_streets(scope)
        .select_related("community", "head", "lead_unit")
        .prefetch_related("grids", "units", "categories"),
        pk=pk,
    )
    start, end = year_bounds(clock.now())
    return render(
        request,
        "streets/street.html",
        {
            "street": s,
            "year": start.year,
            "figures": street_figures([s.pk], start, end)[s.pk],
            "definitions": DEFINITIONS,
            "appeals": street_appeals(scope, [s.pk])[:100],
            "keeper": keeps_structure(scope, s.community),
        },
    )


@login_required
def mine(request):
    """我的街路: the streets the user leads as 街长, with this year's figures and the appeals filed on them."""
    scope = Scope.of(request.user)
    streets = list(led_streets(scope))
    start, end = year_bounds(clock.now())
    figures = street_figures([s.pk for s in streets], start, end)
    return render(
        request,
        "streets/mine.html",
        {
            "rows": [(s, figures[s.pk]) for s in streets],
            "year": start.year,
            "appeals": street_appeals(scope, [s.pk for s in streets])[:200],
        },
    )


@login_required
def community(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    keeper = keeps_structure(scope, area)
    streets = (
        Street.objects.filter(community=area)
        .select_related("head", "lead_unit")
        .prefetch_related("grids", "categories", "units")
    )
    return render(
        request,
        "streets/community.html",
        {
            "community": area,
            "streets": streets,
            "keeper": keeper,
            "grids": Area.objects.filter(path__startswith=area.path, kind=Area.Kind.GRID) if keeper else [],
            "people": scope.persons().filter(community=area).order_by("-is_party_member", "name")[:300]
            if keeper
            else [],
            "units": scope.units().filter(is_active=True).order_by("name") if keeper else [],
            "categories": Category.objects.filter(parent__isnull=True, is_active=True) if keeper else [],
        },
    )


@login_required
@require_POST
def act(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    post = request.POST
    try:
        if post.get("action") == "create":
            grids = Area.objects.filter(
                pk__in=[g for g in post.getlist("grids") if g.isdigit()], kind=Area.Kind.GRID
            )
            street_create(
                user=request.user,
                community=area,
                name=post.get("name", ""),
                section=post.get("section", ""),
                grids=grids,
            )
        else:
            street = get_object_or_404(Street.objects.filter(community=area), pk=post.get("street") or 0)
            person = scope.persons().filter(pk=post.get("head") or 0).first()
            if person is not None:
                street_set_head(user=request.user, street_id=street.pk, person=person)
            unit = scope.units().filter(pk=post.get("lead_unit") or 0).first()
            if unit is not None:
                categories = Category.objects.filter(
                    pk__in=[c for c in post.getlist("categories") if c.isdigit()], parent__isnull=True
                )
                street_bind(user=request.user, street_id=street.pk, lead_unit=unit, categories=categories)
        messages.success(request, "已保存")
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("streets-community", area.pk)
