"""The PIPL access log of a dispute's parties (audit.access_log.reveal_parties): the case page, the API and the
agreement PDF write one row per view, per party and per piece shown in full (phone, address, statement), naming the
party; nothing for what is not shown or is one's own."""

from __future__ import annotations

from collections import Counter

import pytest

from audit.models import PersonalDataView
from disputes.models import Party

pytestmark = pytest.mark.django_db


def rows(**filters) -> list[PersonalDataView]:
    return list(PersonalDataView.objects.filter(**filters).order_by("id"))


def shown_in_full(case) -> Counter:
    """(party, piece) for every non-empty phone, address and statement of the case's parties."""
    return Counter(
        (f"disputes.party#{p.pk}", field)
        for p in Party.objects.filter(case=case)
        for field in ("phone", "address", "statement")
        if getattr(p, field)
    )


def test_the_case_page_writes_one_row_per_party_and_piece_shown(accepted, force, client_for):
    Party.objects.filter(case=accepted, side=Party.Side.RESPONDENT).update(address="幸福2号楼201")
    expected = shown_in_full(accepted)
    assert (f"disputes.party#{accepted.parties.get(side='respondent').pk}", "statement") in expected
    # when the mediator opens the case page
    page = client_for("mediator").get(f"/disputes/{accepted.pk}/").content.decode()
    assert "我们白天上班" in page  # the respondent's statement, in full
    # then each party's phone, address and statement shown is one row, naming the party
    written = rows()
    assert Counter((r.subject, r.field) for r in written) == expected
    assert {(r.actor, r.where) for r in written} == {(force.mediator, f"/disputes/{accepted.pk}/")}
    # a registered party's rows name the person as well
    applicant = accepted.parties.get(side="applicant")
    assert {r.person for r in written if r.subject == f"disputes.party#{applicant.pk}"} == {
        force.resident_person
    }
    # and a second view writes them again
    client_for("mediator").get(f"/disputes/{accepted.pk}/")
    assert PersonalDataView.objects.count() == 2 * len(written)


def test_a_party_reading_their_own_case_logs_only_what_they_see_of_others(accepted, force, client_for):
    Party.objects.filter(case=accepted, side=Party.Side.RESPONDENT).update(address="幸福2号楼201")
    # when the applicant (the resident) opens the case: their own statement, the other side's name and address
    client_for("resident").get(f"/disputes/{accepted.pk}/")
    # then only the other side's address is logged: their own pieces are theirs, the rest is not shown
    respondent = accepted.parties.get(side="respondent")
    assert [(r.subject, r.field, r.actor) for r in rows()] == [
        (f"disputes.party#{respondent.pk}", "address", force.resident)
    ]


def test_the_api_logs_the_parties_it_returns(accepted, force, api_client_for):
    response = api_client_for("mediator").get(f"/api/disputes/cases/{accepted.pk}/")
    assert response.status_code == 200
    assert Counter((r.subject, r.field) for r in rows()) == shown_in_full(accepted)
    assert {r.where for r in rows()} == {f"/api/disputes/cases/{accepted.pk}/"}
    # a list of cases shows no party: nothing logged
    before = PersonalDataView.objects.count()
    api_client_for("mediator").get("/api/disputes/cases/")
    assert PersonalDataView.objects.count() == before


def test_the_agreement_pdf_logs_the_parties_it_prints(agreed, force, client_for):
    response = client_for("mediator").get(f"/disputes/{agreed.pk}/agreement.pdf")
    assert response.status_code == 200
    assert Counter((r.subject, r.field) for r in rows()) == shown_in_full(agreed)


def test_who_may_not_see_the_parties_writes_nothing(accepted, force, client_for):
    # the district leader reads the case but not its parties
    response = client_for("district").get(f"/disputes/{accepted.pk}/")
    assert response.status_code in {200, 404}
    assert not rows()
