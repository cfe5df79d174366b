"""Pages, API and scope of 活动: who sees what, the API's refusals (400/403/404/409), the QR check-in walk on the
pages, the public section without names, the 场次/人次 table recounted from the rows, and the Excel ledger."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from access.scope import Scope
from activities import scope as rights
from activities import services
from activities.figures import activity_table
from activities.models import Activity, Attendance
from activities.tests.conftest import at


@pytest.mark.parametrize(
    ("persona", "sees_planned", "sees_published", "manages"),
    [
        ("resident", False, True, False),
        ("partymember", False, True, False),
        ("gridworker", True, True, False),
        ("community", True, True, True),
        ("subdistrict", True, True, True),
        ("district", True, True, False),
        ("admin", True, True, True),
        ("unit", True, True, False),  # pm1 co-builds it
        ("community2", False, False, False),
        ("gridworker2", False, False, False),
        ("unit2", False, False, False),
    ],
)
def test_scope_matrix(world, planned, persona, sees_planned, sees_published, manages):
    scope = Scope.of(getattr(world, persona))
    assert rights.activities(scope).filter(pk=planned.pk).exists() is sees_planned
    assert rights.may_manage(scope, planned) is manages
    services.activity_publish(user=world.community, activity_id=planned.pk)
    assert rights.activities(scope).filter(pk=planned.pk).exists() is sees_published


def test_api_refusals(world, planned, api_client_for, clock_at):
    staff, resident = api_client_for("community"), api_client_for("resident")
    url = f"/api/activities/{planned.pk}"
    assert resident.post(f"{url}/signup/").status_code == 404  # not published: not theirs to see
    assert resident.post(f"{url}/publish/").status_code == 404
    assert api_client_for("gridworker").post(f"{url}/publish/").status_code == 403
    assert staff.post(f"{url}/publish/").status_code == 200
    assert staff.post(f"{url}/publish/").status_code == 409
    assert resident.post(f"{url}/signup/").status_code == 201
    assert resident.post(f"{url}/signup/").status_code == 409
    assert api_client_for("partymember").post(f"{url}/signup/").status_code == 201
    assert api_client_for("buildinghead").post(f"{url}/signup/").status_code == 409  # full
    assert api_client_for("community2").post(f"{url}/signup/").status_code == 404
    assert staff.post(f"{url}/tick/", {"people": []}, format="json").status_code == 400
    code = services.checkin_code(planned)
    assert resident.post(f"{url}/scan/", {"code": code}, format="json").status_code == 409  # not yet the day
    clock_at(at(3, 14))
    assert resident.post(f"{url}/scan/", {"code": "bad"}, format="json").status_code == 400
    assert resident.post(f"{url}/scan/", {"code": code}, format="json").status_code == 200
    assert staff.post(f"{url}/close/", {"report": ""}, format="json").status_code == 400
    assert staff.post(f"{url}/close/", {"report": "很好"}, format="json").json()["status"] == "held"
    body = {"community": world.c1.pk, "kind": "law", "title": "法治讲堂", "starts_at": at(9, 9).isoformat(),
            "ends_at": at(9, 8).isoformat()}  # fmt: skip
    assert staff.post("/api/activities/", body, format="json").status_code == 400
    body["ends_at"] = at(9, 11).isoformat()
    assert staff.post("/api/activities/", body, format="json").status_code == 201
    assert resident.post("/api/activities/", body, format="json").status_code == 403
    assert resident.get(f"{url}/attendance/").status_code == 403


def test_resident_signs_up_and_checks_in_by_the_qr_code(world, activity, client_for, clock_at):
    resident, staff = client_for("resident"), client_for("community")
    assert activity.title in resident.get("/activities/").content.decode()
    page = resident.post(f"/activities/{activity.pk}/", {"action": "signup"}, follow=True).content.decode()
    assert "报名成功" in page
    clock_at(at(3, 13, 50))
    qr_page = staff.get(f"/activities/{activity.pk}/qr/").content.decode()
    assert "<svg" in qr_page and "扫码签到" in qr_page
    assert resident.get(f"/activities/{activity.pk}/qr/").status_code == 404
    code = services.checkin_code(activity)
    landing = resident.get(f"/activities/{activity.pk}/checkin/?c={code}").content.decode()
    assert "确认签到" in landing and Attendance.objects.get().checked_in_at is None  # a GET checks nobody in
    done = resident.post(f"/activities/{activity.pk}/checkin/", {"c": code}, follow=True).content.decode()
    assert "签到成功" in done and "您已签到" in done
    assert Attendance.objects.get().checked_in_at is not None


def test_public_section_lists_upcoming_without_names(world, activity, client):
    services.activity_signup(user=world.resident, activity_id=activity.pk)
    page = client.get(f"/community/{world.c1.code}/").content.decode()
    assert activity.title in page and world.resident_person.name not in page


def test_table_recounts_from_the_rows_with_drill_down(world, activity, clock_at, client_for):
    for persona in ("resident", "partymember"):
        services.activity_signup(user=getattr(world, persona), activity_id=activity.pk)
    clock_at(at(3, 14))
    services.activity_tick(
        user=world.community, activity_id=activity.pk,
        person_ids=[world.resident_person.pk, world.partymember_person.pk, world.neighbour_g1b.pk],
    )  # fmt: skip
    services.activity_close(user=world.community, activity_id=activity.pk, report="好")
    grid_day = services.activity_plan(
        user=world.community, community=world.c1, area=world.g1b, kind="volunteer", title="义务理发",
        starts_at=at(4, 9), ends_at=at(4, 10),
    )  # fmt: skip
    services.activity_publish(
        user=world.community, activity_id=grid_day.pk
    )  # published, never held: not counted
    table = activity_table(world.c1, at(1, 0), at(31, 0))
    held = Activity.objects.filter(status="held")
    present = Attendance.objects.filter(activity__in=held, checked_in_at__isnull=False)
    assert table.rows[-1][:4] == ["合计", "", held.count(), present.count()] == ["合计", "", 1, 3]
    assert (
        table.rows[0][:4] == ["全社区", "道德讲堂", 1, 3] and table.rows[0][4] == 2.0
    )  # the party member's 2 h
    listed = client_for("community").get(table.links[0]).content.decode()
    assert activity.title in listed and "义务理发" not in listed
    above = activity_table(world.s1, at(1, 0), at(31, 0))
    assert above.rows[0][:4] == [world.c1.name, "道德讲堂", 1, 3]
    response = client_for("community").get("/activities/export.xlsx?month=2026-12")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [c.value for c in sheet["G"]][1:]
    assert sorted(titles) == sorted([activity.title, "义务理发"])
