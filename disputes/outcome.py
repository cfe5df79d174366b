"""The outcome of a mediation, one service function per step: the agreement (调解协议) and its signing, the
follow-up visits on each term (跟踪化解), closing, reopening when a term is broken, and the parties' rating.

Same contract as ``disputes.services``: lock, 409 for a wrong status, 403 without the right, 400 for bad input,
``update_fields``, an event row, notifications after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from categories.deadlines import add_working_days
from disputes import recipients
from disputes.models import Agreement, Case, FollowUp, Party, Satisfaction, Status, Term
from disputes.scans import check_scan
from disputes.selectors import current_agreement
from disputes.steps import CASES, begin, record, url
from linli import clock
from linli.errors import TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text
from notifications.services import notify

MAX_TERMS = 20


def _agreement(case: Case) -> Agreement:
    agreement = current_agreement(case)
    if agreement is None:
        raise TransitionError("该案件没有有效的调解协议")
    return agreement


@transaction.atomic
def case_agree(*, user, case_id: int, text: str, terms: Iterable[tuple[str, date]]) -> Agreement:
    """拟定调解协议: its text and its terms, each with the date by which it is to be done."""
    case, _ = begin(user, case_id, "agree")
    if not case.sessions.exists():
        raise ValidationError({"text": "请先记录至少一次调解，再拟定协议"})
    today = clock.now().date()
    rows = []
    for i, (term_text, due_on) in enumerate(terms, start=1):
        term_text = (term_text or "").strip()
        if not term_text:
            continue
        if due_on is None:
            raise ValidationError({"terms": f"请填写第 {i} 条的履行期限"})
        if due_on < today:
            raise ValidationError({"terms": f"第 {i} 条的履行期限不能早于今天"})
        rows.append((term_text[:300], due_on))
    if not rows:
        raise ValidationError({"terms": "协议至少有一条要履行的条款（内容和期限）"})
    if len(rows) > MAX_TERMS:
        raise ValidationError({"terms": f"协议条款最多 {MAX_TERMS} 条"})
    agreement = Agreement.objects.create(
        case=case, text=required_text(text, "text", "协议内容"), made_at=clock.now()
    )
    Term.objects.bulk_create([Term(agreement=agreement, text=t, due_on=d) for t, d in rows])
    before = case.status
    case.status = Status.AGREED
    CASES.save(case, "status", "updated_at")
    record(case, user=user, action="agree", from_status=before, note=f"协议 {len(rows)} 条，待当事人签字")
    return agreement


@transaction.atomic
def case_sign(
    *, user, case_id: int, scan: UploadedFile | None = None, paper_signed: bool = False
) -> Agreement:
    """The parties signed: a scan of the signed paper (PDF or image), or the mediator's confirmation that the
    paper was signed and is filed."""
    case, _ = begin(user, case_id, "sign")
    agreement = _agreement(case)
    if scan is None and not paper_signed:
        raise ValidationError({"scan": "请上传签字协议的扫描件，或确认当事人已在纸质协议上签字"})
    fields = ["signed_at", "paper_signed"]
    if scan is not None:
        agreement.scan = check_scan(scan)
        fields.append("scan")
    now = clock.now()
    agreement.signed_at, agreement.paper_signed = now, bool(paper_signed)
    agreement.save(update_fields=fields)
    before = case.status
    case.status, case.agreed_at = Status.FOLLOWING, now
    CASES.save(case, "status", "agreed_at", "updated_at")
    how = "上传签字扫描件" if scan is not None else "纸质协议签字已确认"
    record(case, user=user, action="sign", from_status=before, note=f"调解协议签订（{how}），进入履行跟踪")
    after_commit(
        notify,
        users=recipients.parties(case),
        title=f"调解协议已签订：{case.title}",
        body="社区将按协议条款的期限回访履行情况。",
        url=url(case),
    )
    return agreement


def _reopen(case: Case, *, user, term: Term, reason: str) -> None:
    """A term was broken: the agreement is marked broken, the case goes back to mediation with a new limit."""
    now = clock.now()
    term.state = Term.State.BROKEN
    term.save(update_fields=["state"])
    agreement = term.agreement
    agreement.broken_at = now
    agreement.save(update_fields=["broken_at"])
    before = case.status
    case.status, case.closed_at, case.agreed_at = Status.MEDIATING, None, None
    case.reopen_count += 1
    case.due_at, case.overdue = add_working_days(now, case.kind.working_days), False
    CASES.save(case, "status", "closed_at", "agreed_at", "reopen_count", "due_at", "overdue", "updated_at")
    record(case, user=user, action="reopen", from_status=before, note=f"条款“{term.text}”未履行：{reason}")
    after_commit(
        notify,
        users=recipients.team(case) + list(recipients.community_staff(case)),
        title=f"协议未履行，纠纷重新调解：{case.title}",
        body=f"{term.text}：{reason}",
        url=url(case),
    )


def _term(case: Case, term_id) -> Term:
    agreement = _agreement(case)
    term = agreement.terms.filter(pk=term_id).first() if str(term_id).isdigit() else None
    if term is None:
        raise ValidationError({"term": "请选择本协议的条款"})
    return term


@transaction.atomic
def case_follow_up(
    *, user, case_id: int, term_id: int, result: str, note: str, kept_on: date | None = None
) -> FollowUp:
    """跟踪回访 on one term: kept (on the day it was done), not yet due or in progress, or broken (reopens)."""
    case, _ = begin(user, case_id, "follow_up")
    term = _term(case, term_id)
    if term.state != Term.State.PENDING:
        raise TransitionError(f"条款“{term.text}”已{term.get_state_display()}，不需要再回访")
    if result not in Term.State.values:
        raise ValidationError({"result": "请选择履行情况"})
    note = required_text(note, "note", "回访情况")
    now = clock.now()
    follow_up = FollowUp.objects.create(case=case, term=term, at=now, result=result, note=note, by=user)
    if result == Term.State.KEPT:
        kept_on = kept_on or now.date()
        if kept_on > now.date():
            raise ValidationError({"kept_on": "履行日期不能晚于今天"})
        term.state, term.kept_on = Term.State.KEPT, kept_on
        term.save(update_fields=["state", "kept_on"])
    outcome = {"kept": "已履行", "pending": "履行中", "broken": "未履行"}[result]
    record(
        case, user=user, action="follow_up", from_status=case.status, note=f"{term.text}：{outcome}。{note}"
    )
    if result == Term.State.BROKEN:
        _reopen(case, user=user, term=term, reason=note)
    return follow_up


@transaction.atomic
def case_close(*, user, case_id: int, note: str = "") -> Case:
    """结案: every term of the signed agreement is kept."""
    case, _ = begin(user, case_id, "close")
    agreement = _agreement(case)
    left = [t.text for t in agreement.terms.all() if t.state != Term.State.KEPT]
    if left:
        raise ValidationError({"note": "还有条款未确认履行：" + "；".join(left)})
    before = case.status
    case.status, case.closed_at = Status.CLOSED, clock.now()
    CASES.save(case, "status", "closed_at", "updated_at")
    record(case, user=user, action="close", from_status=before, note=note.strip() or "协议全部履行，结案")
    after_commit(
        notify,
        users=recipients.parties(case),
        title=f"纠纷已调解结案，请评价：{case.title}",
        body="请对调解结果作出评价：满意、基本满意或不满意。",
        url=url(case),
    )
    return case


@transaction.atomic
def case_reopen(*, user, case_id: int, term_id: int, reason: str) -> Case:
    """A party comes back after closing: a term was not kept after all."""
    case, _ = begin(user, case_id, "reopen")
    agreement = case.agreements.filter(signed_at__isnull=False).order_by("-made_at", "-id").first()
    term = agreement.terms.filter(pk=term_id).first() if agreement and str(term_id).isdigit() else None
    if term is None:
        raise ValidationError({"term": "请选择未履行的协议条款"})
    _reopen(case, user=user, term=term, reason=required_text(reason, "reason", "未履行的情况"))
    return case


@transaction.atomic
def case_rate(
    *, user, case_id: int, satisfaction: str, comment: str = "", party_id: int | None = None
) -> Party:
    """A party rates the result (满意/基本满意/不满意); staff may record it for a party on a follow-up call."""
    case, actor = begin(user, case_id, "rate")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择：满意、基本满意或不满意"})
    if actor.is_party and (party_id is None or party_id in actor.party_ids):
        found: Party | None = case.parties.get(pk=party_id or min(actor.party_ids))
        by_staff = False
    else:
        found = case.parties.filter(pk=party_id).first() if party_id is not None else None
        by_staff = True
    if found is None:
        raise ValidationError({"party": "请选择代为评价的当事人"})
    party = found
    if party.rated_at is not None:
        raise TransitionError(f"{party.name} 已评价过这起纠纷的调解结果")
    party.satisfaction, party.rating_comment = satisfaction, (comment or "").strip()[:500]
    party.rated_at, party.rated_by_staff = clock.now(), by_staff
    party.save(update_fields=["satisfaction", "rating_comment", "rated_at", "rated_by_staff"])
    label = Satisfaction(satisfaction).label
    record(
        case,
        user=user,
        action="rate",
        from_status=case.status,
        note=f"{party.name}：{label}{'（回访代评）' if by_staff else ''}{'。' + party.rating_comment if party.rating_comment else ''}",
    )
    return party
