"""Two people acting on one case at once: exactly one wins, the other gets 409 (PostgreSQL row locks)."""

from __future__ import annotations

import pytest

from disputes.models import Case, CaseEvent, Status
from disputes.tests.test_api import team_body
from linli.testing import api_client as client
from linli.testing import race, two_at_once

pytestmark = two_at_once()


@pytest.mark.parametrize("round_", range(3))
def test_two_people_accept_one_case_at_once(force, registered, round_):
    w = force
    url = f"/api/disputes/cases/{registered.pk}/accept/"
    codes = race(
        [
            lambda: client(w.community).post(url, team_body(w), format="json").status_code,
            lambda: client(w.mediator).post(url, team_body(w), format="json").status_code,
        ]
    )
    assert sorted(codes) == [200, 409]
    assert CaseEvent.objects.filter(case=registered, action="accept").count() == 1
    assert Case.objects.get(pk=registered.pk).status == Status.ACCEPTED


def test_refer_and_sign_at_once(force, agreed):
    w = force
    base = f"/api/disputes/cases/{agreed.pk}"
    codes = race(
        [
            lambda: (
                client(w.community)
                .post(f"{base}/refer/", {"to": "lawsuit", "note": "反悔"}, format="json")
                .status_code
            ),
            lambda: (
                client(w.mediator).post(f"{base}/sign/", {"paper_signed": True}, format="json").status_code
            ),
        ]
    )
    assert sorted(codes) == [200, 409]
    assert Case.objects.get(pk=agreed.pk).status in (Status.REFERRED, Status.FOLLOWING)
