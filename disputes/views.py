"""Pages of the mediation loop: the community's cases board, a party's own cases, a case with its steps."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from audit.access_log import reveal_parties
from disputes import forms, outcome, services
from disputes.models import DisputeKind, Member, Party, Referral, Risk, Satisfaction, Term
from disputes.pdf import agreement_pdf
from disputes.scope import actor_for, may, registers_anywhere, visible_cases, works_on_disputes
from disputes.selectors import (
    BOARD_STATES,
    BoardFilters,
    board,
    candidate_duties,
    current_agreement,
    my_cases,
    repeat_of,
    state_counts,
)
from disputes.steps import CASES
from disputes.workflow import LABELS
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.inputs import positive_id
from linli.refusals import refusal

SERVICES: dict[str, Callable[..., object]] = {
    "accept": services.case_accept,
    "assign": services.case_assign,
    "session": services.case_session,
    "escalate": services.case_escalate,
    "flag_risk": services.case_flag_risk,
    "agree": outcome.case_agree,
    "sign": outcome.case_sign,
    "refer": services.case_refer,
    "follow_up": outcome.case_follow_up,
    "close": outcome.case_close,
    "reopen": outcome.case_reopen,
    "rate": outcome.case_rate,
    "withdraw": services.case_withdraw,
}
DONE = {
    "accept": "已受理，包案人和调解团队已确定",
    "assign": "已调整调解团队",
    "session": "已记录本次调解",
    "escalate": "已升级调处",
    "flag_risk": "已更新风险等级",
    "agree": "已拟定调解协议，请打印给当事人签字",
    "sign": "已确认协议签字，进入履行跟踪",
    "refer": "已移交",
    "follow_up": "已记录回访",
    "close": "已结案",
    "reopen": "已重新调解",
    "rate": "已评价，谢谢您",
    "withdraw": "已撤销",
}
# Steps that cannot be undone ask first (static/confirm.js).
CONFIRM = {
    "refer": "调解不成，确定移交吗？移交后案件结束调解。",
    "close": "协议条款都已履行，确定结案吗？",
    "withdraw": "确定撤销这起纠纷吗？",
    "sign": "当事人已在协议上签字了吗？确认后进入履行跟踪。",
}


# The step the case waits for comes first (open on the page); side steps after it.
SIDE_STEPS = ("assign", "escalate", "flag_risk", "refer", "withdraw")


def _order(action: str) -> int:
    return SIDE_STEPS.index(action) + 1 if action in SIDE_STEPS else 0


@login_required
def case_board(request):
    scope = Scope.of(request.user)
    if not works_on_disputes(scope):
        return redirect("dispute-mine")
    areas = scope.areas().filter(kind__in=[Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY, Area.Kind.GRID])
    area_id = positive_id(request.GET.get("area"))
    area = areas.filter(pk=area_id).first() if area_id else None
    state = request.GET.get("state", "open")
    f = BoardFilters(
        state=state,
        area=area,
        kind=positive_id(request.GET.get("kind")),
        overdue=request.GET.get("overdue") == "1",
        risk=request.GET.get("risk") == "1",
        q=request.GET.get("q", "").strip()[:50],
    )
    counts = state_counts(board(scope, BoardFilters(area=area)))
    page = Paginator(board(scope, f), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("state", None)
    return render(
        request,
        "disputes/board.html",
        {
            "page": page,
            "filters": f,
            "tabs": [
                ("open", "未结", sum(counts[k] for k in ("registered", "working", "agreed", "following")))
            ]
            + [(key, label, counts[key]) for key, label in BOARD_STATES],
            "areas": areas.order_by("path")[:300],
            "kinds": DisputeKind.objects.all(),
            "query": query.urlencode(),
            "can_register": registers_anywhere(scope),
            "month": clock.now().strftime("%Y-%m"),
        },
    )


@login_required
def my_disputes(request):
    cases = my_cases(Scope.of(request.user)).order_by("-registered_at")
    return render(request, "disputes/mine.html", {"cases": cases})


def _case_or_404(request, pk: int):
    scope = Scope.of(request.user)
    case = get_object_or_404(
        visible_cases(scope).select_related("kind", "community", "grid", "building", "owner", "appeal"), pk=pk
    )
    return scope, case


@login_required
def case_detail(request, pk: int):
    scope, case = _case_or_404(request, pk)
    actor = actor_for(scope, case)
    offered = CASES.offered(case, lambda a: may(actor, a))
    agreement = current_agreement(case)
    terms = list(agreement.terms.all()) if agreement else []
    parties = list(case.parties.select_related("person")) if actor.sees_parties else []
    for p in parties:
        p.shown_phone = p.phone if actor.worker or p.pk in actor.party_ids else ""
        p.shown_statement = p.statement if actor.worker or p.pk in actor.party_ids else ""
    reveal_parties(  # the PIPL access log: who saw which party's phone, address and statement
        user=request.user,
        shown=[
            (p, {"phone": p.shown_phone, "address": p.address, "statement": p.shown_statement})
            for p in parties
        ],
    )
    unrated = [p for p in parties if not p.rated_at and (actor.worker or p.pk in actor.party_ids)]
    return render(
        request,
        "disputes/detail.html",
        {
            "case": case,
            "actor": actor,
            "actions": [
                (a, LABELS[a], CONFIRM.get(a, "")) for a in sorted(offered, key=_order) if a != "rate"
            ],
            "can_rate": "rate" in offered and bool(unrated),
            "unrated": unrated,
            "parties": parties,
            "members": list(case.members.select_related("person")) if actor.sees_parties else [],
            "sessions": list(case.sessions.prefetch_related("members__person", "parties"))
            if actor.worker
            else [],
            "agreement": agreement if actor.sees_parties else None,
            "terms": terms if actor.sees_parties else [],
            "pending_terms": [t for t in terms if t.state == Term.State.PENDING],
            "signed_terms": [t for t in terms if agreement and agreement.signed_at],
            "follow_ups": list(case.follow_ups.select_related("term")) if actor.sees_parties else [],
            "broken": list(case.agreements.filter(broken_at__isnull=False)) if actor.worker else [],
            "events": [(e, LABELS.get(e.action, e.action)) for e in case.events.all()]
            if actor.worker
            else [],
            "candidates": candidate_duties(case) if {"accept", "assign"} & set(offered) else [],
            "team_ids": {m.person_id: m.duty for m in case.members.all()},
            "repeat": repeat_of(case) if actor.worker else None,
            "duties": Member.Duty.choices,
            "risks": Risk.choices,
            "referrals": Referral.choices,
            "results": Term.State.choices,
            "satisfactions": Satisfaction.choices,
            "sides": Party.Side.choices,
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    scope, case = _case_or_404(request, pk)
    if action not in SERVICES:
        raise Http404
    try:
        if action == "sign":
            kwargs = forms.sign(request.POST, case, request.FILES)
        else:
            kwargs = forms.PARSERS[action](request.POST, case)
        SERVICES[action](user=request.user, case_id=case.pk, **kwargs)
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        refusal(request, exc)
        return redirect(f"/disputes/{case.pk}/#act-{action}")
    messages.success(request, DONE[action])
    return redirect("dispute-detail", pk=case.pk)


@login_required
def agreement_scan(request, pk: int, agreement_pk: int):
    """The signed scan, for those who may see the agreement (never a public address)."""
    scope, case = _case_or_404(request, pk)
    if not actor_for(scope, case).sees_parties:
        raise Http404
    agreement = get_object_or_404(case.agreements.exclude(scan=""), pk=agreement_pk)
    name = agreement.scan.name
    content_type = "application/pdf" if name.endswith(".pdf") else f"image/{name.rsplit('.', 1)[-1]}"
    content_type = content_type.replace("image/jpg", "image/jpeg")
    response = FileResponse(agreement.scan.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="agreement-{case.pk}.{name.rsplit(".", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_document(request, pk: int):
    """人民调解协议书 (PDF) of the case's current agreement, to print for signing and to file."""
    scope, case = _case_or_404(request, pk)
    agreement = current_agreement(case)
    if agreement is None or not actor_for(scope, case).sees_parties:
        raise Http404
    response = HttpResponse(agreement_pdf(case, agreement), content_type="application/pdf")
    reveal_parties(
        user=request.user,
        shown=[
            (p, {"phone": p.phone, "address": p.address, "statement": p.statement})
            for p in case.parties.all()
        ],
    )
    response["Content-Disposition"] = f'inline; filename="mediation-agreement-{case.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
