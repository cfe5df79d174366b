"""The mediation loop over the REST API: register, the steps, and every refusal (400/403/404/409)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from disputes.models import Case, DisputeKind, Status
from disputes.tests.conftest import NOW
from linli.testing import api_client

pytestmark = pytest.mark.django_db

BASE = "/api/disputes/cases/"


def team_body(w) -> dict:
    return {
        "owner": w.mediator_person.pk,
        "members": [
            {"person": w.gridworker_person.pk, "duty": "grid_worker"},
            {"person": w.mediator_person.pk, "duty": "mediator"},
            {"person": w.adviser_person.pk, "duty": "legal_adviser"},
            {"person": w.police_person.pk, "duty": "police"},
        ],
    }


def test_register_accept_session_agree_sign_over_the_api(force, clock_at):
    w = force
    clock_at(NOW - timedelta(hours=3))
    kind = DisputeKind.objects.get(code="property")
    body = {
        "kind": kind.pk,
        "title": "物业费与漏水纠纷",
        "summary": "业主因顶楼漏水拒交物业费。",
        "source": "hotline",
        "grid": w.g1a.pk,
        "parties": [
            {"side": "applicant", "person": w.resident_person.pk, "statement": "漏水三个月没人修"},
            {"side": "respondent", "name": "幸福物业", "phone": "0914-2345678", "statement": "维修基金未批"},
        ],
    }
    r = api_client(w.gridworker).post(BASE, body, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["parties"][0]["statement"] == "漏水三个月没人修"
    r = api_client(w.community).post(f"{BASE}{pk}/accept/", team_body(w), format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert "session" in r.json()["allowed_actions"]
    members = [m["id"] for m in r.json()["members"]]
    clock_at(NOW)
    r = api_client(w.mediator).post(
        f"{BASE}{pk}/session/",
        {
            "held_at": "2026-12-02T09:00:00+08:00",
            "place": "调解室",
            "notes": "四方到场",
            "member_ids": members,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["sessions"][0]["members"] == members
    r = api_client(w.mediator).post(
        f"{BASE}{pk}/agree/",
        {"text": "物业修复漏水，业主补交物业费。", "terms": [{"text": "修复漏水", "due_on": "2026-12-15"}]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "agreed"
    r = api_client(w.mediator).post(f"{BASE}{pk}/sign/", {"paper_signed": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "following"
    events = api_client(w.community).get(f"{BASE}{pk}/events/").json()
    assert [e["action"] for e in events] == ["register", "accept", "session", "agree", "sign"]


def test_refusals(accepted, force):
    w = force
    url = f"{BASE}{accepted.pk}"
    # 404: outside scope (another community's staff, a unit, a neighbour who is no party)
    for who in ("community2", "unit", "buildinghead", "partymember", "mediator2"):
        assert api_client(getattr(w, who)).get(f"{url}/").status_code == 404, who
        assert api_client(getattr(w, who)).post(f"{url}/close/", {}, format="json").status_code == 404
    # 409: wrong state (accept again), checked before the right
    assert api_client(w.community).post(f"{url}/accept/", team_body(w), format="json").status_code == 409
    assert api_client(w.resident).post(f"{url}/accept/", team_body(w), format="json").status_code == 409
    # 403: in scope, right state, no right (a grid worker may not refer; a party may not record a session)
    r = api_client(w.gridworker).post(f"{url}/refer/", {"to": "lawsuit", "note": "x"}, format="json")
    assert r.status_code == 403 and "移交" in r.json()["detail"]
    # 400: bad fields
    r = api_client(w.community).post(f"{url}/refer/", {"to": "moon", "note": ""}, format="json")
    assert r.status_code == 400 and {"to", "note"} <= set(r.json())
    r = api_client(w.community).post(f"{url}/escalate/", {"reason": "   "}, format="json")
    assert r.status_code == 400
    assert Case.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_a_party_sees_their_case_but_not_the_other_sides_statement(accepted, force):
    r = api_client(force.resident).get(f"{BASE}{accepted.pk}/")
    assert r.status_code == 200
    mine, other = r.json()["parties"]
    assert mine["statement"] and other["statement"] == "" and other["phone"] == ""
    assert r.json()["sessions"] == []


def test_leadership_sees_the_case_without_its_parties(accepted, force):
    r = api_client(force.district).get(f"{BASE}{accepted.pk}/")
    assert r.status_code == 200
    assert r.json()["parties"] == [] and r.json()["summary"] is None and r.json()["members"] == []


def test_list_filters_and_kinds(accepted, force):
    r = api_client(force.community).get(BASE, {"state": "accepted"})
    assert [c["id"] for c in r.json()["results"]] == [accepted.pk]
    assert api_client(force.community).get(BASE, {"area": "x"}).status_code == 400
    assert api_client(force.community2).get(BASE).json()["results"] == []
    kinds = api_client(force.resident).get("/api/disputes/kinds/").json()
    assert {k["code"] for k in kinds} >= {"neighbour", "family", "property", "labour", "land_house"}


def test_the_schema_documents_the_refusals(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    op = schema["paths"]["/api/disputes/cases/{id}/accept/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(op["responses"])
