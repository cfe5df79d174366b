"""The whole loop through the API, with the refusals it must give."""

from __future__ import annotations

import pytest

from appeals.models import Appeal, AppealEvent, Status

pytestmark = pytest.mark.django_db


def test_loop_through_the_api_lists_every_step_in_order(world, api_client_for, category):
    # Given the resident, the community staff and the unit staff with their clients
    resident, community, unit = (api_client_for(n) for n in ("resident", "community", "unit"))

    # When the resident submits, the community triages and dispatches, the unit accepts, reports and completes
    r = resident.post(
        "/api/appeals/",
        {
            "title": "楼道灯坏了",
            "body": "三单元楼道灯坏了一周。",
            "category": category.pk,
            "building": world.b1a.pk,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "submitted"
    pk = r.json()["id"]
    steps = [
        (community, "triage", {"kind": "transfer"}),
        (community, "dispatch", {"unit": world.pm1.pk}),
        (unit, "accept", {}),
        (unit, "progress", {"note": "已联系居民，明天上门。"}),
        (unit, "complete", {"report": "已更换灯泡。"}),
        (resident, "rate", {"resolved": True, "satisfaction": "satisfied", "comment": "很快，谢谢"}),
    ]
    for client, action, body in steps:
        response = client.post(f"/api/appeals/{pk}/{action}/", body, format="json")
        assert response.status_code == 200, (action, response.content)

    # Then the appeal is closed, rated, and its events list every step in order
    detail = resident.get(f"/api/appeals/{pk}/").json()
    assert detail["status"] == "closed"
    assert detail["satisfaction"] == "satisfied"
    events = resident.get(f"/api/appeals/{pk}/events/").json()
    assert [e["action"] for e in events] == [
        "submit",
        "triage",
        "dispatch",
        "accept",
        "progress",
        "complete",
        "rate",
    ]
    assert [e["to_status"] for e in events] == [
        "submitted",
        "submitted",
        "dispatched",
        "accepted",
        "accepted",
        "completed",
        "closed",
    ]
    assert events[2]["unit"] == world.pm1.pk


def test_refusals_are_409_400_403_404(world, api_client_for, submitted):
    resident, community, unit, outsider = (
        api_client_for(n) for n in ("resident", "community", "unit", "community2")
    )
    url = f"/api/appeals/{submitted.pk}"
    # not allowed now: the resident may rate, but not before it is completed → 409 with a message
    r = resident.post(f"{url}/rate/", {"resolved": True, "satisfaction": "satisfied"}, format="json")
    assert r.status_code == 409 and "不能评价" in r.json()["detail"]
    # bad fields → 400 with field messages
    r = community.post(f"{url}/dispatch/", {"unit": "not-a-number"}, format="json")
    assert r.status_code == 400 and "unit" in r.json()
    r = community.post(f"{url}/dispatch/", {}, format="json")
    assert r.status_code == 400 and "unit" in r.json()
    # a unit that does not serve this community → 400 on the unit field
    r = community.post(f"{url}/dispatch/", {"unit": world.pm2.pk}, format="json")
    assert r.status_code == 400 and "unit" in r.json()
    # no right: the resident may see it but not dispatch → 403
    assert resident.post(f"{url}/dispatch/", {"unit": world.pm1.pk}, format="json").status_code == 403
    # out of scope → 404
    assert outsider.get(f"{url}/").status_code == 404
    assert outsider.post(f"{url}/dispatch/", {"unit": world.pm2.pk}, format="json").status_code == 404
    assert unit.get(f"{url}/").status_code == 404
    # and nothing changed
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert AppealEvent.objects.filter(appeal=submitted).count() == 1


def test_bad_intake_is_400_with_field_messages_and_writes_nothing(world, api_client_for):
    resident = api_client_for("resident")
    before = Appeal.objects.count()
    for body, field in [
        ({"body": "x"}, "title"),
        ({"title": "x" * 121, "body": "x"}, "title"),
        ({"title": "a", "body": "x" * 5001}, "body"),
        ({"title": "a", "body": "   "}, "body"),
        ({"title": "a", "body": "b", "grid": 999999}, "grid"),
        ({"title": "a", "body": "b", "channel": "fax"}, "channel"),
        ({"title": "a", "body": "b", "grid": world.g1a.pk, "building": world.b2a.pk}, "building"),
    ]:
        r = resident.post("/api/appeals/", body, format="json")
        assert r.status_code == 400, (body, r.content)
        assert field in r.json(), (body, r.json())
    r = resident.post("/api/appeals/", "not json", content_type="application/json")
    assert r.status_code == 400
    r = resident.post("/api/appeals/", ["a", "list"], format="json")
    assert r.status_code == 400
    assert Appeal.objects.count() == before


def test_resident_cannot_raise_for_someone_else_or_elsewhere(world, api_client_for):
    resident = api_client_for("resident")
    r = resident.post(
        "/api/appeals/", {"title": "a", "body": "b", "raised_by": world.neighbour_g1b.pk}, format="json"
    )
    assert r.status_code == 403
    r = resident.post("/api/appeals/", {"title": "a", "body": "b", "grid": world.g2a.pk}, format="json")
    assert r.status_code == 403
    assert Appeal.objects.count() == 0


def test_grid_worker_records_for_a_resident_without_login(world, api_client_for):
    r = api_client_for("gridworker").post(
        "/api/appeals/",
        {
            "title": "门口垃圾没人清",
            "body": "走访时李阿姨反映。",
            "raised_by": world.neighbour_g1b.pk,
            "grid": world.g1b.pk,
            "channel": "visit",
        },
        format="json",
    )
    # the grid worker works in g1a; the neighbour lives in g1b → not theirs to record
    assert r.status_code == 403
    r = api_client_for("community").post(
        "/api/appeals/",
        {
            "title": "门口垃圾没人清",
            "body": "电话反映。",
            "raised_by": world.neighbour_g1b.pk,
            "grid": world.g1b.pk,
            "channel": "hotline",
        },
        format="json",
    )
    assert r.status_code == 201
    appeal = Appeal.objects.get(pk=r.json()["id"])
    assert appeal.raised_by == world.neighbour_g1b and appeal.channel == "hotline"
    assert appeal.recorded_by == world.community


def test_queue_filters_and_units_list(world, api_client_for, dispatched):
    community = api_client_for("community")
    rows = community.get("/api/appeals/?status=dispatched&sort=deadline").json()["results"]
    assert [r["id"] for r in rows] == [dispatched.pk]
    assert community.get("/api/appeals/?status=closed").json()["results"] == []
    assert community.get(f"/api/appeals/?unit={world.pm2.pk}").json()["results"] == []
    assert community.get("/api/appeals/?status=bogus").status_code == 400
    assert community.get("/api/appeals/?grid=abc").status_code == 400
    # the unit sees it in its inbox; the other community's staff do not
    assert [r["id"] for r in api_client_for("unit").get("/api/appeals/").json()["results"]] == [dispatched.pk]
    assert api_client_for("community2").get("/api/appeals/").json()["results"] == []
    units = {u["id"] for u in community.get("/api/units/").json()["results"]}
    assert {world.pm1.pk, world.dept.pk} <= units and world.pm2.pk not in units


def test_detail_offers_only_the_actions_this_user_may_take_now(world, api_client_for, dispatched):
    assert set(api_client_for("unit").get(f"/api/appeals/{dispatched.pk}/").json()["allowed_actions"]) >= {
        "accept",
        "return",
    }
    assert (
        "accept"
        not in api_client_for("community").get(f"/api/appeals/{dispatched.pk}/").json()["allowed_actions"]
    )
    assert api_client_for("resident").get(f"/api/appeals/{dispatched.pk}/").json()["allowed_actions"] == [
        "withdraw"
    ]
