"""The mediation loop through its services: each step's outcome and event row, and each refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disputes import outcome, services
from disputes.models import Case, CaseEvent, Level, Party, Referral, Source, Status, Term
from disputes.tests.conftest import team, two_parties
from linli.errors import PermissionDenied, TransitionError, ValidationError
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def actions(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


def test_grid_worker_registers_a_visit_with_a_resident_from_the_register(registered, force):
    w = force
    assert registered.status == Status.REGISTERED
    assert registered.source == Source.VISIT
    assert registered.community == w.c1 and registered.grid == w.g1a and registered.level == Level.GRID
    applicant, respondent = registered.parties.all()
    assert applicant.person == w.resident_person and applicant.household == w.h1a
    assert respondent.person is None and respondent.name == "李桂兰"  # not in the grid worker's register
    assert actions(registered) == ["register"]


def test_the_whole_loop_to_closing_and_rating(following, force, now):
    w = force
    case = following
    assert case.status == Status.FOLLOWING and case.agreed_at >= now
    first, second = Term.objects.filter(agreement__case=case).order_by("due_on")
    outcome.case_follow_up(user=w.gridworker, case_id=case.pk, term_id=first.pk, result="kept", note="已加装")
    with pytest.raises(ValidationError, match="还有条款未确认履行"):
        outcome.case_close(user=w.community, case_id=case.pk)
    outcome.case_follow_up(
        user=w.gridworker, case_id=case.pk, term_id=second.pk, result="kept", note="安静了"
    )
    outcome.case_close(user=w.community, case_id=case.pk)
    party = outcome.case_rate(user=w.resident, case_id=case.pk, satisfaction="satisfied", comment="谢谢社区")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert (
        party.person == w.resident_person and party.satisfaction == "satisfied" and not party.rated_by_staff
    )
    assert actions(case) == [
        "register", "accept", "session", "agree", "sign", "follow_up", "follow_up", "close", "rate",
    ]  # fmt: skip
    with pytest.raises(TransitionError, match="已评价"):
        outcome.case_rate(user=w.resident, case_id=case.pk, satisfaction="satisfied")


def test_accept_sets_the_kinds_time_limit_in_working_days(accepted):
    # 2026-12-02 is a Wednesday; 10 working days later is Wednesday 2026-12-16.
    assert accepted.due_at.date() == date(2026, 12, 16)
    assert accepted.owner is not None and accepted.members.count() == 4


def test_a_broken_term_reopens_the_case(following, force):
    w = force
    term = Term.objects.filter(agreement__case=following).first()
    outcome.case_follow_up(
        user=w.gridworker, case_id=following.pk, term_id=term.pk, result="broken", note="又吵"
    )
    following.refresh_from_db()
    term.refresh_from_db()
    assert following.status == Status.MEDIATING and following.reopen_count == 1
    assert term.state == Term.State.BROKEN and term.agreement.broken_at is not None
    assert actions(following)[-2:] == ["follow_up", "reopen"]


def test_reopen_after_closing(following, force):
    w = force
    for term in Term.objects.filter(agreement__case=following):
        outcome.case_follow_up(
            user=w.gridworker, case_id=following.pk, term_id=term.pk, result="kept", note="好"
        )
    outcome.case_close(user=w.community, case_id=following.pk)
    term = Term.objects.filter(agreement__case=following).first()
    outcome.case_reopen(user=w.community, case_id=following.pk, term_id=term.pk, reason="防噪垫被拆了")
    following.refresh_from_db()
    assert following.status == Status.MEDIATING and following.closed_at is None


def test_failed_mediation_is_referred(mediating, force):
    services.case_refer(user=force.community, case_id=mediating.pk, to=Referral.LAWSUIT, note="双方分歧大")
    mediating.refresh_from_db()
    assert mediating.status == Status.REFERRED and mediating.referral == Referral.LAWSUIT
    assert mediating.closed_at is not None


def test_risk_alerts_the_community_and_police_at_once(registered, force, django_capture_on_commit_callbacks):
    w = force
    with django_capture_on_commit_callbacks(execute=True):
        services.case_flag_risk(user=w.gridworker, case_id=registered.pk, risk="high", may_escalate=True)
    alerted = set(
        Notification.objects.filter(title__startswith="【可能激化】").values_list("user__username", flat=True)
    )
    assert {"community", "police"} <= alerted
    assert "community2" not in alerted and "resident" not in alerted


def test_escalation_goes_up_to_the_subdistrict_and_no_further(accepted, force):
    w = force
    services.case_escalate(user=w.community, case_id=accepted.pk, reason="涉及多户")
    services.case_escalate(user=w.community, case_id=accepted.pk, reason="社区调不动")
    accepted.refresh_from_db()
    assert accepted.level == Level.SUBDISTRICT
    with pytest.raises(ValidationError):
        services.case_escalate(user=w.community, case_id=accepted.pk, reason="再升")


def test_a_resident_brings_their_own_dispute(force, kind, now):
    w = force
    case = services.case_register(
        user=w.resident,
        kind=kind,
        title="车位被占",
        summary="邻居长期占用我家车位",
        parties=[{"side": Party.Side.RESPONDENT, "name": "赵某", "phone": "13911112222"}],
        community=w.c1,
        source=Source.VISIT,  # a resident's own application whatever they say
    )
    assert case.source == Source.RESIDENT
    assert case.parties.get(side=Party.Side.APPLICANT).person == w.resident_person


# ---- refusals ---------------------------------------------------------------------------------------------
def test_wrong_state_is_refused_before_the_right(registered, force):
    with pytest.raises(TransitionError, match="待受理"):
        outcome.case_close(user=force.unit, case_id=registered.pk)  # neither right nor state: 409 first


def test_accepting_twice_is_a_conflict(accepted, force):
    w = force
    with pytest.raises(TransitionError):
        services.case_accept(user=w.community, case_id=accepted.pk, owner=w.mediator_person, members=team(w))


@pytest.mark.parametrize("who", ["gridworker", "adviser", "police", "resident", "mediator2", "community2"])
def test_only_managers_accept(registered, force, who):
    w = force
    with pytest.raises(PermissionDenied):
        services.case_accept(
            user=getattr(w, who), case_id=registered.pk, owner=w.mediator_person, members=team(w)
        )


def test_outsiders_cannot_register_in_another_community(force, kind):
    w = force
    with pytest.raises(PermissionDenied):
        services.case_register(
            user=w.gridworker2, kind=kind, title="x", summary="y", parties=two_parties(w), community=w.c1
        )


def test_bad_input_is_a_field_message(force, kind, registered):
    w = force
    with pytest.raises(ValidationError) as exc:
        services.case_register(
            user=w.gridworker, kind=kind, title="x", summary="y", parties=two_parties(w)[:1], grid=w.g1a
        )
    assert "parties" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.case_accept(
            user=w.community, case_id=registered.pk, owner=w.resident_person, members=team(w)
        )
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.case_register(
            user=w.gridworker, kind=kind, title="x", summary="y", parties=[], community=None
        )


def test_agreement_needs_a_session_and_terms(accepted, force, now):
    w = force
    with pytest.raises(ValidationError, match="调解"):
        outcome.case_agree(
            user=w.mediator, case_id=accepted.pk, text="协议", terms=[("赔偿", date(2026, 12, 9))]
        )
    services.case_session(
        user=w.mediator,
        case_id=accepted.pk,
        held_at=now - timedelta(hours=1),
        place="调解室",
        notes="陈述",
        member_ids=accepted.members.values_list("pk", flat=True),
    )
    with pytest.raises(ValidationError) as exc:
        outcome.case_agree(
            user=w.mediator, case_id=accepted.pk, text="协议", terms=[("赔偿", date(2026, 11, 1))]
        )
    assert "terms" in exc.value.message_dict
    with pytest.raises(ValidationError, match="晚于现在"):
        services.case_session(
            user=w.mediator,
            case_id=accepted.pk,
            held_at=now + timedelta(days=1),
            place="调解室",
            notes="x",
            member_ids=accepted.members.values_list("pk", flat=True),
        )


def test_signing_needs_a_scan_or_the_paper_confirmation(agreed, force):
    w = force
    with pytest.raises(ValidationError):
        outcome.case_sign(user=w.mediator, case_id=agreed.pk)
    fake = SimpleUploadedFile("sign.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF 或"):
        outcome.case_sign(user=w.mediator, case_id=agreed.pk, scan=fake)
    pdf = SimpleUploadedFile("sign.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    agreement = outcome.case_sign(user=w.mediator, case_id=agreed.pk, scan=pdf)
    assert agreement.scan.name.endswith(".pdf") and "sign" not in agreement.scan.name
    assert Case.objects.get(pk=agreed.pk).status == Status.FOLLOWING


def test_a_stranger_cannot_rate(force, mediating):
    services.case_refer(
        user=force.community, case_id=mediating.pk, to=Referral.JUDICIAL_OFFICE, note="移交司法所"
    )
    with pytest.raises(PermissionDenied):
        outcome.case_rate(user=force.unit, case_id=mediating.pk, satisfaction="satisfied")
    party = outcome.case_rate(
        user=force.gridworker,
        case_id=mediating.pk,
        satisfaction="basically_satisfied",
        party_id=mediating.parties.last().pk,
    )
    assert party.rated_by_staff
