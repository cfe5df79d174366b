"""Pages of 三库联动 for community staff: needs, the registration ledger, offers, matching rounds, teams;
and each provider's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals.selectors import units_serving, visible_appeals
from areas.models import Area
from linli.refusals import REFUSALS, refusal
from needs import assign, rounds, selectors, services
from needs.forms import ActivityForm, MembersForm, NeedForm, OfferForm, RegistrationForm, TeamForm
from needs.ledger import registrations_workbook
from needs.models import MatchRound, Need, Offer


def _community(request, scope: Scope) -> Area:
    communities = scope.areas().filter(kind=Area.Kind.COMMUNITY).order_by("path")
    wanted = request.GET.get("community") or request.POST.get("community")
    community = (
        communities.filter(pk=wanted).first() if wanted and str(wanted).isdigit() else communities.first()
    )
    if community is None or not services.community_staff_of(scope, community):
        raise Http404
    return community


@login_required
def hub(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    people = scope.persons().filter(community=community).order_by("name")
    buildings = scope.buildings().filter(grid__path__startswith=community.path).order_by("code")
    need_form = NeedForm(people=people, buildings=buildings)
    context = {
        "community": community,
        "communities": scope.areas().filter(kind=Area.Kind.COMMUNITY).order_by("path"),
        "needs": selectors.needs(scope)
        .filter(community=community)
        .order_by("status", "-priority", "created_at")[:200],
        "offers": selectors.offers(scope).filter(registration__community=community, is_active=True),
        "registrations": selectors.registrations(scope).filter(community=community, status="active"),
        "rounds": selectors.rounds(scope).filter(community=community)[:5],
        "teams": selectors.teams(scope).filter(community=community),
        "need_form": need_form,
        "registration_form": RegistrationForm(
            units=units_serving(community),
            party_members=scope.party_members_for(community).order_by("name"),
        ),
    }
    return render(request, "needs/hub.html", context)


def _post_service(request, call, ok: str, back: str):
    try:
        result = call()
    except REFUSALS as exc:
        refusal(request, exc)
        return None
    messages.success(request, ok)
    return result


@login_required
@require_POST
def need_new(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    form = NeedForm(
        request.POST,
        people=scope.persons().filter(community=community),
        buildings=scope.buildings().filter(grid__path__startswith=community.path),
    )
    if form.is_valid():
        _post_service(
            request,
            lambda: services.need_create(actor=request.user, community=community, **form.cleaned_data),
            "需求已登记",
            "",
        )
    else:
        messages.error(
            request,
            "请检查需求内容：" + "；".join(f"{form.fields[f].label}{e[0]}" for f, e in form.errors.items()),
        )
    return redirect(f"/needs/?community={community.pk}")


@login_required
@require_POST
def need_from_appeal(request, appeal_id: int):
    scope = Scope.of(request.user)
    appeal = get_object_or_404(visible_appeals(scope), pk=appeal_id)
    need = _post_service(
        request, lambda: services.need_from_appeal(actor=request.user, appeal=appeal), "已转入需求清单", ""
    )
    return redirect(f"/needs/?community={appeal.community_id}" if need else f"/appeals/{appeal.pk}/")


@login_required
@require_POST
def registration_new(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    form = RegistrationForm(
        request.POST,
        units=units_serving(community),
        party_members=scope.party_members_for(community),
    )
    if form.is_valid():
        _post_service(
            request,
            lambda: services.registration_create(
                actor=request.user, community=community, **form.cleaned_data
            ),
            "报到已登记",
            "",
        )
    else:
        messages.error(request, "请检查报到内容")
    return redirect(f"/needs/?community={community.pk}")


@login_required
def registration_detail(request, pk: int):
    scope = Scope.of(request.user)
    registration = get_object_or_404(selectors.registrations(scope), pk=pk)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grid = registration.community
        offer = _post_service(
            request,
            lambda: services.offer_create(actor=request.user, registration=registration, base=grid, **data),
            "供给已登记",
            "",
        )
        if offer is not None:
            return redirect("needs-registration", pk=pk)
    return render(
        request,
        "needs/registration.html",
        {
            "registration": registration,
            "offers": registration.offers.prefetch_related("categories"),
            "form": form,
            "record": selectors.provider_record(
                unit_id=registration.unit_id, person_id=registration.person_id
            ),
        },
    )


@login_required
def registrations_export(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    content = registrations_workbook(selectors.registrations(scope).filter(community=community))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="registrations-{community.code}.xlsx"'
    return response


@login_required
@require_POST
def round_new(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    round_ = _post_service(
        request,
        lambda: rounds.match_round_run(actor=request.user, community=community),
        "匹配完成，请审核",
        "",
    )
    return redirect("needs-round", pk=round_.pk) if round_ else redirect(f"/needs/?community={community.pk}")


@login_required
def round_detail(request, pk: int):
    scope = Scope.of(request.user)
    round_ = get_object_or_404(selectors.rounds(scope), pk=pk)
    proposals = list(
        round_.proposals.select_related(
            "need__category", "need__person", "offer__registration__unit", "offer__registration__person"
        ).order_by("-need__priority", "id")
    )
    editable = round_.status == MatchRound.Status.PROPOSED
    rows = [(p, rounds.feasible_offers(p) if editable else []) for p in proposals]
    may_assign = services.community_staff_of(scope, round_.community)
    unmatched = [
        (n, assign.options_for(n) if may_assign and n.status == Need.Status.OPEN else [])
        for n in Need.objects.filter(pk__in=round_.unmatched)
        .select_related("category", "community", "grid", "building__grid", "person")
        .order_by("-priority", "created_at")
    ]
    return render(
        request,
        "needs/round.html",
        {
            "round": round_,
            "rows": rows,
            "unmatched": unmatched,
            "editable": editable,
            "may_assign": may_assign,
            "total_km": sum(p.distance_km for p in proposals),
        },
    )


@login_required
@require_POST
def need_assign(request, pk: int):
    """人工派单 of an open need to an offer chosen by staff; back to the page it was sent from."""
    scope = Scope.of(request.user)
    need = get_object_or_404(selectors.needs(scope), pk=pk)
    offer_id = request.POST.get("offer") or ""
    back = request.POST.get("round") or ""
    if not offer_id.isdigit():
        messages.error(request, "请选择派给哪条供给")
    else:
        _post_service(
            request,
            lambda: assign.need_assign(actor=request.user, need_id=need.pk, offer_id=int(offer_id)),
            f"“{need.title}”已派单",
            "",
        )
    if back.isdigit() and selectors.rounds(scope).filter(pk=back).exists():
        return redirect("needs-round", pk=int(back))
    return redirect(f"/needs/?community={need.community_id}")


@login_required
@require_POST
def round_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    round_ = get_object_or_404(selectors.rounds(scope), pk=pk)
    proposal_id = int(request.POST.get("proposal") or 0)
    if action == "adjust":
        offer = Offer.objects.filter(pk=request.POST.get("offer") or 0).first()
        if offer is None:
            messages.error(request, "请选择供给")
        else:
            _post_service(
                request,
                lambda: rounds.proposal_adjust(actor=request.user, proposal_id=proposal_id, offer=offer),
                "已调整",
                "",
            )
    elif action == "remove":
        _post_service(
            request,
            lambda: rounds.proposal_remove(actor=request.user, proposal_id=proposal_id),
            "已移出，这项需求回到未匹配，可以人工派单",
            "",
        )
    elif action == "dispatch":
        orders = _post_service(
            request, lambda: rounds.round_dispatch(actor=request.user, round_id=round_.pk), "服务单已派出", ""
        )
        if orders:
            return redirect(f"/appeals/?status=dispatched&community={round_.community_id}")
    else:
        raise Http404
    return redirect("needs-round", pk=round_.pk)


@login_required
def provider(request, kind: str, pk: int):
    scope = Scope.of(request.user)
    if kind == "unit":
        registration = selectors.registrations(scope).filter(unit_id=pk).first()
        record = selectors.provider_record(unit_id=pk)
    elif kind == "person":
        registration = selectors.registrations(scope).filter(person_id=pk).first()
        record = selectors.provider_record(person_id=pk)
    else:
        raise Http404
    if registration is None:
        raise Http404
    return render(request, "needs/provider.html", {"registration": registration, "record": record})


@login_required
def team_detail(request, pk: int):
    scope = Scope.of(request.user)
    team = get_object_or_404(selectors.teams(scope), pk=pk)
    people = (
        scope.persons()
        .filter(community=team.community)
        .exclude(pk__in=team.members.values("pk"))
        .order_by("name")
    )
    activity_form = ActivityForm(members=team.members.all())
    members_form = MembersForm(people=people)
    if request.method == "POST":
        if "members" in request.POST:
            members_form = MembersForm(request.POST, people=people)
            if members_form.is_valid():
                _post_service(
                    request,
                    lambda: services.team_add_members(
                        actor=request.user, team=team, members=members_form.cleaned_data["members"]
                    ),
                    "队员已加入",
                    "",
                )
                return redirect("needs-team", pk=pk)
        else:
            activity_form = ActivityForm(request.POST, members=team.members.all())
            if activity_form.is_valid():
                done = _post_service(
                    request,
                    lambda: services.activity_record(
                        actor=request.user, team=team, **activity_form.cleaned_data
                    ),
                    "活动已记录",
                    "",
                )
                if done:
                    return redirect("needs-team", pk=pk)
    return render(
        request,
        "needs/team.html",
        {
            "team": team,
            "hours": selectors.team_minutes(team),
            "activities": team.activities.all()[:30],
            "activity_form": activity_form,
            "members_form": members_form,
        },
    )


@login_required
def team_new(request):
    scope = Scope.of(request.user)
    community = _community(request, scope)
    form = TeamForm(request.POST or None, people=scope.persons().filter(community=community).order_by("name"))
    if request.method == "POST" and form.is_valid():
        team = _post_service(
            request,
            lambda: services.team_create(actor=request.user, community=community, **form.cleaned_data),
            "队伍已组建",
            "",
        )
        if team:
            return redirect("needs-team", pk=team.pk)
    return render(request, "needs/team_new.html", {"form": form, "community": community})
