"""Pages of a community's structure: its party tree and its co-building units with what they did this year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from cobuilding import forms, party, selectors
from cobuilding.models import Agreement, Pledge
from cobuilding.party_services import CHILD_KIND, party_member_assign, party_org_add_child, party_org_edit
from cobuilding.scope import agreements, keeps_agreement, keeps_party_org, keeps_structure
from cobuilding.services import agreement_create, agreement_end, pledge_add
from linli import clock
from linli.refusals import REFUSALS, refusal
from people.models import Person


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else clock.now().year


@login_required
def index(request):
    scope = Scope.of(request.user)
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY).select_related("parent").order_by("path")
    if len(communities) == 1:
        return redirect("cobuilding-community", communities[0].pk)
    units = scope.units().filter(pk__in=scope.unit_ids)
    return render(
        request, "cobuilding/index.html", {"communities": communities, "units": units, "year": _year(request)}
    )


@login_required
def community(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    year = _year(request)
    keeper = keeps_structure(scope, area)
    return render(
        request,
        "cobuilding/community.html",
        {
            "community": area,
            "year": year,
            "chain": party.chain_above(area),
            "nodes": party.flatten(party.tree(area)),
            "coverage": party.coverage(area),
            "years": selectors.community_year(agreements(scope), area, year),
            "keeper": keeper,
            "agreement_form": forms.AgreementForm(scope=scope, community=area) if keeper else None,
        },
    )


@login_required
def org_detail(request, pk: int):
    scope = Scope.of(request.user)
    org = get_object_or_404(
        scope.party_orgs().select_related("area", "building", "secretary", "parent", "unit"), pk=pk
    )
    community = org.area.ancestor_of_kind(Area.Kind.COMMUNITY) if org.area else None
    members = list(org.members.select_related("community").order_by("name"))
    registered = (
        list(party.registered_party_members(org.area).order_by("name"))
        if org.area and org.area.kind == Area.Kind.COMMUNITY
        else []
    )
    keeper = keeps_party_org(scope, org)
    candidates = Person.objects.none()
    if keeper and community is not None:
        candidates = scope.persons().filter(is_party_member=True, community=community).order_by("name")
    child_kind = CHILD_KIND.get(org.kind) if org.area else None
    return render(
        request,
        "cobuilding/org_detail.html",
        {
            "org": org,
            "community": community,
            "members": [(p, scope.phone_of(p)) for p in members],
            "registered": registered,
            "children": org.children.select_related("area", "building", "secretary").order_by("code"),
            "keeper": keeper,
            "candidates": candidates,
            "child_kind": child_kind,
            "child_label": dict(org.Kind.choices).get(child_kind, "") if child_kind else "",
            "child_buildings": scope.buildings().filter(grid__path__startswith=org.area.path).order_by("code")
            if keeper and org.area and child_kind == org.Kind.GROUP
            else [],
            "child_areas": scope.areas().filter(path__startswith=org.area.path, kind=Area.Kind.GRID)
            if keeper and org.area and child_kind == org.Kind.BRANCH
            else [],
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def org_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    org = get_object_or_404(scope.party_orgs(), pk=pk)
    post = request.POST
    try:
        if action == "edit":
            party_org_edit(
                user=request.user,
                org_id=org.pk,
                name=post.get("name") or None,
                secretary_id=_int(post.get("secretary")),
                building_id=_int(post.get("building")),
            )
            messages.success(request, "已保存")
        elif action == "member":
            person = party_member_assign(
                user=request.user, org_id=org.pk, person_id=_int(post.get("person")) or 0
            )
            messages.success(request, f"{person.name} 已编入{org.name}")
        elif action == "child":
            child = party_org_add_child(
                user=request.user,
                parent_id=org.pk,
                name=post.get("name", ""),
                area_id=_int(post.get("area")),
                building_id=_int(post.get("building")),
                secretary_id=_int(post.get("secretary")),
            )
            messages.success(request, f"已成立{child.name}")
            return redirect("cobuilding-org", child.pk)
        else:
            raise Http404
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("cobuilding-org", org.pk)


@login_required
@require_POST
def agreement_new(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(scope.areas(), pk=pk, kind=Area.Kind.COMMUNITY)
    form = forms.AgreementForm(request.POST, scope=scope, community=area)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("cobuilding-community", area.pk)
    try:
        agreement = agreement_create(
            user=request.user,
            community=area,
            unit=form.cleaned_data["unit"],
            title=form.cleaned_data["title"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        )
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("cobuilding-community", area.pk)
    messages.success(request, "共建协议已登记，请添加承诺内容")
    return redirect("cobuilding-agreement", agreement.pk)


@login_required
def agreement_detail(request, pk: int):
    scope = Scope.of(request.user)
    agreement: Agreement = get_object_or_404(agreements(scope), pk=pk)
    year = _year(request)
    start, end = selectors.year_bounds(year)
    unit, place = agreement.unit, agreement.community
    return render(
        request,
        "cobuilding/agreement_detail.html",
        {
            "agreement": agreement,
            "pledges": agreement.pledges.all(),
            "year": year,
            "work": selectors.work_of(unit, place, start, end),
            "claimed": selectors.projects_claimed(unit, place, start, end).order_by("-claimed_at")[:50],
            "orders": selectors.completed(unit, place, start, end, "service_order").order_by("-completed_at")[
                :50
            ],
            "keeper": keeps_agreement(scope, agreement),
            "pledge_kinds": Pledge.Kind.choices,
        },
    )


@login_required
@require_POST
def agreement_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    agreement = get_object_or_404(agreements(scope), pk=pk)
    post = request.POST
    try:
        if action == "pledge":
            form = forms.PledgeForm(post)
            if not form.is_valid():
                messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
                return redirect("cobuilding-agreement", agreement.pk)
            data = form.cleaned_data
            pledge_add(
                user=request.user,
                agreement_id=agreement.pk,
                kind=data["kind"],
                description=data["description"],
                amount_fen=int((data["amount_yuan"] or 0) * 100),
                people=data["people"] or 0,
                hours_per_year=data["hours_per_year"] or 0,
            )
            messages.success(request, "承诺已添加")
        elif action == "end":
            agreement_end(user=request.user, agreement_id=agreement.pk, reason=post.get("reason", ""))
            messages.success(request, "共建协议已终止")
        else:
            raise Http404
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("cobuilding-agreement", agreement.pk)
