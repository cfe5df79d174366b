"""Every role against a case inside and a case outside its scope: who sees the case, who sees its parties and
statements, who may manage it (accept, refer, close), on the API and the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from access.scope import Scope
from disputes import services
from disputes.models import Party
from disputes.scope import actor_for, visible_cases
from disputes.tests.conftest import NOW
from linli import clock
from linli.testing import api_client

pytestmark = pytest.mark.django_db

# persona -> (sees the c1 case, sees its parties, manages it, sees the c2 case)
MATRIX = {
    "resident": (True, True, False, False),  # a party to the c1 case
    "gridworker": (True, True, False, False),
    "gridleader": (True, True, False, False),
    "buildinghead": (False, False, False, False),
    "community": (True, True, True, False),
    "subdistrict": (True, True, True, False),
    "unit": (False, False, False, False),
    "partymember": (False, False, False, False),
    "district": (True, False, False, True),  # reads cases, not parties
    "admin": (True, True, True, True),
    "community2": (False, False, False, True),
    "gridworker2": (False, False, False, False),  # the c2 case is in no grid
    "unit2": (False, False, False, False),
    "mediator": (True, True, True, False),
    "adviser": (True, True, False, False),
    "police": (True, True, False, False),
    "mediator2": (False, False, False, True),
}


@pytest.fixture
def cases(registered, force, kind):
    w = force
    with clock.at(NOW):
        other = services.case_register(
            user=w.community2,
            kind=kind,
            title="和平社区的纠纷",
            summary="另一个社区",
            community=w.c2,
            source="hotline",
            parties=[
                {"side": Party.Side.APPLICANT, "name": "王德明", "phone": "13700002222", "statement": "甲说"},
                {"side": Party.Side.RESPONDENT, "name": "某某", "statement": "乙说"},
            ],
        )
    return registered, other


@pytest.mark.parametrize("persona", list(MATRIX))
def test_scope_matrix(cases, force, persona):
    inside, outside = cases
    user = getattr(force, persona)
    sees, parties, manages, sees_other = MATRIX[persona]
    scope = Scope.of(user)
    visible = set(visible_cases(scope).values_list("pk", flat=True))
    assert (inside.pk in visible, outside.pk in visible) == (sees, sees_other)
    r = api_client(user).get(f"/api/disputes/cases/{inside.pk}/")
    assert r.status_code == (200 if sees else 404)
    browser = Client()
    browser.force_login(user)
    page = browser.get(f"/disputes/{inside.pk}/")
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert bool(r.json()["parties"]) == parties
        assert ("李桂兰" in page.content.decode()) == parties
        actor = actor_for(scope, inside)
        assert actor.manager == manages
        assert ("accept" in r.json()["allowed_actions"]) == manages
    assert api_client(user).get(f"/api/disputes/cases/{outside.pk}/").status_code == (
        200 if sees_other else 404
    )
    listed = {c["id"] for c in api_client(user).get("/api/disputes/cases/?state=all").json()["results"]}
    assert listed == {pk for pk, seen in ((inside.pk, sees), (outside.pk, sees_other)) if seen}
