"""The 小区 API: one action per service, refusals as 400 with field messages, 403, 404 and 409."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compounds.models import Body, Compound
from compounds.tests.helpers import ALL_FIVE, DAY, compound

pytestmark = pytest.mark.django_db


def test_a_compound_through_the_api(world, api_client_for, clock_at):
    w = world
    clock_at(DAY)
    api = api_client_for("community")
    made = api.post(
        "/api/compounds/",
        {
            "community": w.c1.pk,
            "code": "C1-XF",
            "name": "幸福小区",
            "kind": "old",
            "buildings": [w.b1a.pk, w.b1b.pk],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["grids"] == [w.g1a.pk, w.g1b.pk] and made.json()["kind_label"] == "老旧小区"
    firm = api.post(
        f"/api/compounds/{pk}/firm/",
        {"firm": w.pm1.pk, "starts_on": "2026-01-01", "ends_on": "2028-12-31"},
        format="json",
    )
    assert firm.status_code == 200
    (body,) = firm.json()["bodies"]
    assert body["is_red"] and body["party_org_name"] == "幸福物业党支部" and body["firm_name"] == "幸福物业"
    again = api.post(
        f"/api/compounds/{pk}/firm/",
        {"firm": w.pm1.pk, "starts_on": "2026-01-01", "ends_on": "2028-12-31"},
        format="json",
    )
    assert again.status_code == 409 and "已在服务" in again.json()["detail"]
    member = api.post(
        f"/api/compounds/{pk}/members/",
        {"body": body["id"], "person": w.unit_person.pk, "post": "manager"},
        format="json",
    )
    assert member.status_code == 200
    assert member.json()["bodies"][0]["members"][0]["name"] == "孙经理"
    outsider = api.post(
        f"/api/compounds/{pk}/members/",
        {"body": body["id"], "person": w.resident_c2.pk, "post": "staff"},
        format="json",
    )
    assert outsider.status_code == 400 and "person" in outsider.json()
    rated = api_client_for("resident").post(
        f"/api/compounds/{pk}/rate/", {**ALL_FIVE, "comment": "很好"}, format="json"
    )
    assert rated.status_code == 201 and rated.json()["total"] == 25 and rated.json()["quarter"] == 2
    twice = api_client_for("resident").post(f"/api/compounds/{pk}/rate/", ALL_FIVE, format="json")
    assert twice.status_code == 409
    bad = api_client_for("resident").post(f"/api/compounds/{pk}/rate/", {"sanitation": 9}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {
        "sanitation",
        "repairs",
        "security",
        "attitude",
        "party",
    }
    shown = api.get(f"/api/compounds/{pk}/").json()["rating"]
    assert shown["quarter"] == "2026年第2季度" and shown["residents"]["display"] == "100.0%（25 ÷ 25）"
    ended = api.post(
        f"/api/compounds/{pk}/body-end/", {"body": body["id"], "reason": "合同到期"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["bodies"] == []
    late = api.post(f"/api/compounds/{pk}/body-end/", {"body": body["id"], "reason": "again"}, format="json")
    assert late.status_code == 409
    assert (
        api.post(f"/api/compounds/{pk}/body-end/", {"body": 999999, "reason": "x"}, format="json").status_code
        == 404
    )
    assert api.get("/api/compounds/999999/").status_code == 404


def test_bad_input_and_refusals(world, api_client_for):
    w = world
    api = api_client_for("community")
    bad = api.post(
        "/api/compounds/", {"community": w.c1.pk, "code": "x y", "name": "", "kind": "castle"}, format="json"
    )
    assert bad.status_code == 400 and {"name", "kind"} <= set(bad.json())
    wrong = api.post(
        "/api/compounds/",
        {"community": w.c2.pk, "code": "C2-X", "name": "和平小区", "kind": "old"},
        format="json",
    )
    assert wrong.status_code == 400 and "community" in wrong.json()
    code = api.post(
        "/api/compounds/",
        {"community": w.c1.pk, "code": "x y", "name": "幸福小区", "kind": "old"},
        format="json",
    )
    assert code.status_code == 400 and "code" in code.json()
    c = compound(w)
    denied = api_client_for("subdistrict").post(
        f"/api/compounds/{c.pk}/bodies/",
        {"kind": "owners_committee", "starts_on": "2026-01-01", "ends_on": "2030-12-31"},
        format="json",
    )
    assert denied.status_code == 403
    longer = api.post(
        f"/api/compounds/{c.pk}/bodies/",
        {"kind": "owners_committee", "starts_on": "2026-01-01", "ends_on": "2033-12-31"},
        format="json",
    )
    assert longer.status_code == 400 and "任期不超过 5 年" in longer.json()["ends_on"][0]
    assert not Body.objects.filter(compound=c).exists()
    assert Compound.objects.count() == 1


def test_an_election_through_the_api(world, api_client_for, clock_at):
    w = world
    clock_at(DAY)
    c = compound(w)
    api = api_client_for("community")
    made = api.post(
        f"/api/compounds/{c.pk}/elections/",
        {"seats": 1, "candidates": [w.resident_person.pk, w.neighbour_g1b.pk]},
        format="json",
    )
    assert made.status_code == 201 and made.json()["status"] == "nominated"
    election = made.json()["id"]
    not_owner = api.post(
        f"/api/compounds/{c.pk}/elections/",
        {"seats": 1, "candidates": [w.buildinghead_person.pk]},
        format="json",
    )
    assert not_owner.status_code == 400 and "candidates" in not_owner.json()
    step = f"/api/compounds/{c.pk}/election-step/"
    assert api.post(step, {"election": election, "step": "open"}, format="json").status_code == 400
    closes = (DAY + timedelta(days=20)).isoformat()
    early = api.post(step, {"election": election, "step": "open", "closes_at": closes}, format="json")
    assert early.status_code == 409 and "公示期" in early.json()["detail"]
    clock_at(DAY + timedelta(days=8))
    opened = api.post(step, {"election": election, "step": "open", "closes_at": closes}, format="json")
    assert opened.status_code == 200 and opened.json()["status"] == "voting" and opened.json()["vote"]
    assert api.post(step, {"election": election, "step": "close"}, format="json").status_code == 409
    listed = api.get(f"/api/compounds/{c.pk}/elections/").json()
    assert [e["candidates"][0]["name"] for e in listed] == ["张秀英"]
    assert (
        api_client_for("resident")
        .post(step, {"election": election, "step": "close"}, format="json")
        .status_code
        == 403
    )
