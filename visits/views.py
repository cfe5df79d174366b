"""Pages of 走访: the worker's list, the one-minute visit form, a visit and its one-tap referrals, rounds and coverage,
the special groups, the Excel export."""

from __future__ import annotations

import uuid
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from access.scope import AREA_STAFF_ROLES, Scope, any_of
from areas.models import Area
from audit.access_log import reveal_records
from campaigns.selectors import honours_in_force
from categories.models import Category
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.refusals import refusal
from needs.services import community_staff_of
from people.models import HouseholdMember
from spreadsheets import safe
from visits import selectors as sel
from visits import services
from visits.models import FREQUENCY_LABELS, CareTag, Finding, Round, RoundGrid
from visits.scope import (
    is_visitor,
    may_open_round,
    may_visit,
    visible_rounds,
    visible_tags,
    visible_visits,
    visitable_households,
)

REFUSED = (ValidationError, PermissionDenied, TransitionError)


class RoundForm(forms.Form):
    area = forms.ModelChoiceField(label="范围", queryset=Area.objects.none())
    kind = forms.ChoiceField(label="类型", choices=Round.Kind.choices)
    title = forms.CharField(label="名称", max_length=120)
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))


def _require_visitor(scope: Scope) -> None:
    if not is_visitor(scope):
        raise Http404


@login_required
def home(request):
    """The grid worker's list: the round's households still to visit, the special groups due, recent visits."""
    scope = Scope.of(request.user)
    _require_visitor(scope)
    now = clock.now()
    today = now.date()
    mine = visitable_households(scope).select_related("building")
    q = request.GET.get("q", "").strip()[:40]
    if q:
        mine = mine.filter(
            Q(building__name__contains=q) | Q(number__contains=q) | Q(memberships__person__name__contains=q)
        ).distinct()
    rounds = list(
        visible_rounds(scope).filter(starts_on__lte=today, ends_on__gte=today).select_related("area")[:20]
    )
    grids = RoundGrid.objects.filter(round__in=rounds).select_related("round", "grid", "worker")
    if not scope.is_admin:
        grids = grids.filter(
            any_of([Q(grid__path__startswith=n.path) for n in scope.nodes(AREA_STAFF_ROLES)])
        )
    coverage = [sel.grid_coverage(rg, now, list_households=False) for rg in grids[:50]]
    visited_now: set[int] = set()
    for rg in grids[:50]:
        visited_now |= sel.visited_ids(rg, now)
    mine = mine.exclude(pk__in=visited_now) if request.GET.get("all") != "1" else mine
    care = [c for c in sel.care_due(visible_tags(scope), now)][:100]
    households = list(mine.order_by("building__code", "number")[:300])
    if q:  # found by a resident's name: the door shown is theirs (the PIPL access log, one insert)
        by_pk = {h.pk: h for h in households}
        found = HouseholdMember.objects.filter(
            household__in=list(by_pk), person__name__contains=q
        ).select_related("person")
        reveal_records(user=request.user, shown=[(by_pk[m.household_id], m.person) for m in found])
    manageable = scope.areas().filter(kind__in=[Area.Kind.COMMUNITY, Area.Kind.GRID]).order_by("path")
    manageable_ids = [a.pk for a in manageable[:200] if may_open_round(scope, a)]
    form = RoundForm(initial={"starts_on": today, "kind": Round.Kind.HALF_MONTH})
    form.fields["area"].queryset = Area.objects.filter(pk__in=manageable_ids)
    context = {
        "coverage": coverage,
        "households": households,
        "visited_now": visited_now,
        "care": care,
        "recent": visible_visits(scope).select_related("household__building", "visitor__person")[:20],
        "rounds": visible_rounds(scope).select_related("area")[:30],
        "round_form": form if manageable_ids else None,
        "q": q,
        "today": today,
    }
    return render(request, "visits/home.html", context)


@login_required
@require_POST
def round_new(request):
    scope = Scope.of(request.user)
    _require_visitor(scope)
    form = RoundForm(request.POST)
    form.fields["area"].queryset = scope.areas()
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("visits-home")
    d = form.cleaned_data
    try:
        rnd = services.round_open(
            user=request.user,
            area=d["area"],
            kind=d["kind"],
            title=d["title"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )
    except REFUSED as exc:
        refusal(request, exc)
        return redirect("visits-home")
    messages.success(request, f"已安排走访：{rnd.title}")
    return redirect("visits-round", pk=rnd.pk)


@login_required
def round_detail(request, pk: int):
    scope = Scope.of(request.user)
    rnd = get_object_or_404(visible_rounds(scope).select_related("area"), pk=pk)
    now = clock.now()
    rows = [sel.grid_coverage(rg, now) for rg in rnd.grids.select_related("grid", "worker__person")]
    households = sum(r.households for r in rows)
    visited = sum(r.visited for r in rows)
    from evaluation.ledgers import Rate

    return render(
        request,
        "visits/round.html",
        {
            "round": rnd,
            "rows": rows,
            "total": Rate(visited, households),
            "can_manage": may_open_round(scope, rnd.area),
        },
    )


@login_required
@require_POST
def round_assign(request, pk: int):
    scope = Scope.of(request.user)
    rg = get_object_or_404(
        RoundGrid.objects.filter(round__in=visible_rounds(scope)).select_related("round__area"), pk=pk
    )
    wanted = request.POST.get("worker", "")
    worker = (
        services.grid_workers_under(rg.round.area).filter(pk=wanted).first() if wanted.isdigit() else None
    )
    try:
        services.round_assign(user=request.user, round_grid_id=rg.pk, worker=worker)
    except REFUSED as exc:
        refusal(request, exc)
    else:
        messages.success(request, "已指定负责网格员")
    return redirect("visits-round", pk=rg.round_id)


def _visit_form_context(request, household, key: str, data=None) -> dict:
    members = list(household.memberships.select_related("person").order_by("pk"))
    # the door with who lives there: a row per member in the PIPL access log
    reveal_records(user=request.user, shown=[(household, m.person) for m in members])
    return {
        "household": household,
        "members": members,
        "key": key,
        "findings": Finding.choices,
        "data": data or {},
        "seen": data.getlist("seen") if data is not None else [],
        "tags": [t.get_tag_display() for t in household.care_tags.all()],
        "honours": honours_in_force(household, clock.now().date()),
        "last": household.visits.order_by("-visited_at").first(),
    }


@login_required
def visit_new(request, household_pk: int):
    """The one-minute form: who was seen (one tap each, or 无人在家), what was found, a line of notes. The hidden
    key is made when the form is rendered; the page's script keeps the form if sending fails and resends it."""
    scope = Scope.of(request.user)
    household = get_object_or_404(
        visitable_households(scope).select_related("building__grid"), pk=household_pk
    )
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("seen") if i.isdigit()]
        seen = [m.person for m in household.memberships.select_related("person") if m.person_id in ids]
        nobody = request.POST.get("nobody") == "1"
        try:
            visit, created = services.visit_log(
                user=request.user,
                household=household,
                key=request.POST.get("key"),
                seen=seen,
                met=not nobody,
                finding=request.POST.get("finding", Finding.NORMAL),
                note=request.POST.get("note", "")[:2000],
            )
        except REFUSED as exc:
            refusal(request, exc)
            ctx = _visit_form_context(request, household, request.POST.get("key", ""), request.POST)
            return render(request, "visits/new.html", ctx, status=400)
        messages.success(request, "走访已记录" if created else "这次走访已记录过，没有重复登记")
        return redirect("visits-detail", pk=visit.pk)
    return render(request, "visits/new.html", _visit_form_context(request, household, str(uuid.uuid4())))


@login_required
def visit_detail(request, pk: int):
    scope = Scope.of(request.user)
    visit = get_object_or_404(
        visible_visits(scope).select_related("household__building__grid", "visitor__person", "round"), pk=pk
    )
    can_act = may_visit(scope, visit.household)
    community = visit.household.building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    title = visit.note.strip().splitlines()[0][:60] if visit.note.strip() else f"走访发现：{visit.household}"
    referrals = list(visit.referrals.select_related("appeal", "need"))
    seen = list(visit.seen.all()) if visit.met else []
    reveal_records(user=request.user, shown=[(visit.household, p) for p in seen])  # named at their door
    return render(
        request,
        "visits/detail.html",
        {
            "visit": visit,
            "seen": seen,
            "referrals": referrals,
            "open_form": "" if referrals else visit.finding,
            "events": visit.events.select_related("actor__person"),
            "can_act": can_act,
            "can_need": can_act and community is not None and community_staff_of(scope, community),
            "categories": Category.objects.filter(is_active=True, parent__isnull=True).order_by("code")[:50],
            "appeal_key": str(uuid.uuid4()),
            "need_key": str(uuid.uuid4()),
            "appeal_title": title[:120],
            "dispute_url": f"/disputes/new/?household={visit.household_id}&visit={visit.pk}",
        },
    )


@login_required
@require_POST
def visit_appeal(request, pk: int):
    scope = Scope.of(request.user)
    visit = get_object_or_404(visible_visits(scope), pk=pk)
    try:
        appeal = services.visit_raise_appeal(
            user=request.user,
            visit_id=visit.pk,
            key=request.POST.get("key"),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except REFUSED as exc:
        refusal(request, exc)
        return redirect("visits-detail", pk=visit.pk)
    messages.success(request, f"已替住户登记诉求 #{appeal.pk}（网格员走访）")
    return redirect("visits-detail", pk=visit.pk)


@login_required
@require_POST
def visit_need(request, pk: int):
    scope = Scope.of(request.user)
    visit = get_object_or_404(visible_visits(scope), pk=pk)
    category = (
        Category.objects.filter(pk=request.POST.get("category") or 0).first()
        if (request.POST.get("category") or "").isdigit()
        else None
    )
    try:
        need = services.visit_register_need(
            user=request.user,
            visit_id=visit.pk,
            key=request.POST.get("key"),
            category=category,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
        )
    except REFUSED as exc:
        refusal(request, exc)
        return redirect("visits-detail", pk=visit.pk)
    messages.success(request, f"已登记需求 #{need.pk}")
    return redirect("visits-detail", pk=visit.pk)


@login_required
def care(request):
    """重点人群: every tagged household with its frequency, last visit and next due day; tag a household."""
    scope = Scope.of(request.user)
    _require_visitor(scope)
    now = clock.now()
    if request.method == "POST":
        household = get_object_or_404(visitable_households(scope), pk=request.POST.get("household") or 0)
        try:
            if request.POST.get("remove") == "1":
                services.household_untag(
                    user=request.user, household=household, tag=request.POST.get("tag", "")
                )
                messages.success(request, f"{household}已取消重点走访")
            else:
                services.household_tag(
                    user=request.user,
                    household=household,
                    tag=request.POST.get("tag", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, f"{household}已登记为重点走访户")
        except REFUSED as exc:
            refusal(request, exc)
        return redirect("visits-care")
    return render(
        request,
        "visits/care.html",
        {
            "rows": sel.care_due(visible_tags(scope), now),
            "tags": [(t.value, t.label, FREQUENCY_LABELS[t.value]) for t in CareTag],
            "households": visitable_households(scope)
            .select_related("building")
            .order_by("building__code", "number")[:500],
        },
    )


@login_required
def export(request):
    scope = Scope.of(request.user)
    _require_visitor(scope)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "走访记录"
    ws.append(["走访时间", "网格", "楼栋", "房号", "走访人", "见到住户", "发现情况", "情况记录", "走访轮次"])
    for v in visible_visits(scope).select_related("grid", "household__building", "visitor__person", "round")[
        :20000
    ]:
        who = getattr(getattr(v.visitor, "person", None), "name", "") if v.visitor else ""
        ws.append(
            safe.clean_row(
                [
                    v.visited_at.strftime("%Y-%m-%d %H:%M"),
                    v.grid.name,
                    v.household.building.name,
                    v.household.number,
                    who,
                    "是" if v.met else "无人在家",
                    v.get_finding_display(),
                    v.note,
                    v.round.title if v.round else "",
                ]
            )
        )
    out = BytesIO()
    safe.save(wb, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=visits.xlsx"
    return response
