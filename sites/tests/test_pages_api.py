"""Pages, API and scope of 党群服务阵地: who sees which site and booking, the API's refusals (400/403/404/409),
the public section without personal data, the figures recounted from the rows, and the Excel ledger."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from access.scope import Scope
from sites import ledger, services
from sites import scope as rights
from sites.figures import site_table
from sites.models import Booking, ServiceRecord
from sites.tests.conftest import at


@pytest.mark.parametrize(
    ("persona", "sees", "manages"),
    [
        ("resident", True, False),
        ("buildinghead", True, False),
        ("gridworker", True, False),
        ("community", True, True),
        ("subdistrict", True, True),
        ("district", True, False),
        ("partymember", True, False),
        ("admin", True, True),
        ("community2", False, False),
        ("gridworker2", False, False),
        ("unit2", False, False),
    ],
)
def test_scope_matrix(world, site, persona, sees, manages):
    scope = Scope.of(getattr(world, persona))
    assert rights.sites(scope).filter(pk=site.pk).exists() is sees
    assert rights.may_manage_site(scope, site) is manages


def test_bookings_are_seen_by_their_owner_and_the_communitys_staff(world, room):
    booking = services.booking_request(
        user=world.resident, site_id=room.site_id, kind="room", room_id=room.pk,
        starts_at=at(3, 10), ends_at=at(3, 11), purpose="议事", attendees=5,
    )  # fmt: skip
    seen = {
        p
        for p in world.personas
        if rights.bookings(Scope.of(getattr(world, p))).filter(pk=booking.pk).exists()
    }
    assert seen == {"resident", "gridworker", "gridleader", "community", "subdistrict", "district", "admin"}


def test_resident_finds_the_site_and_books_on_the_page(world, site, room, client_for):
    resident = client_for("resident")
    page = resident.get("/sites/").content.decode()
    assert "幸福社区党群服务中心" in page and "老年证办理" in page
    detail = resident.get(f"/sites/{site.pk}/").content.decode()
    assert "18:00–20:30" in detail and "延时" in detail
    response = resident.post(
        f"/sites/{site.pk}/",
        {
            "form": "book",
            "kind": "room",
            "room": room.pk,
            "day": "2026-12-03",
            "start": "10:00",
            "end": "11:00",
            "attendees": 8,
            "purpose": "楼栋议事会",
        },  # fmt: skip
        follow=True,
    )
    assert "等待工作人员确认" in response.content.decode()
    booking = Booking.objects.get()
    staff = client_for("community")
    assert "楼栋议事会" in staff.get("/sites/bookings/?status=requested").content.decode()
    staff.post(f"/sites/bookings/{booking.pk}/confirm/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    taken = resident.post(
        f"/sites/{site.pk}/",
        {
            "form": "book",
            "kind": "room",
            "room": room.pk,
            "day": "2026-12-03",
            "start": "10:30",
            "end": "11:30",
            "attendees": 8,
            "purpose": "另一场",
        },  # fmt: skip
        follow=True,
    )
    assert "已被预约" in taken.content.decode() and Booking.objects.count() == 1
    assert client_for("community2").get(f"/sites/{site.pk}/").status_code == 404


def test_api_refusals(world, site, room, api_client_for):
    body = {"site": site.pk, "kind": "room", "room": room.pk, "starts_at": at(3, 10).isoformat(),
            "ends_at": at(3, 11).isoformat(), "purpose": "议事", "attendees": 5}  # fmt: skip
    resident = api_client_for("resident")
    created = resident.post("/api/site-bookings/", body, format="json")
    assert created.status_code == 201, created.content
    assert resident.post("/api/site-bookings/", body, format="json").status_code == 409
    assert resident.post("/api/site-bookings/", {**body, "attendees": 0}, format="json").status_code == 400
    pk = created.json()["id"]
    assert resident.post(f"/api/site-bookings/{pk}/confirm/", {}, format="json").status_code == 403
    assert api_client_for("community2").post(f"/api/site-bookings/{pk}/confirm/").status_code == 404
    staff = api_client_for("community")
    assert staff.post(f"/api/site-bookings/{pk}/decline/", {"reason": ""}, format="json").status_code == 400
    assert staff.post(f"/api/site-bookings/{pk}/confirm/").status_code == 200
    assert staff.post(f"/api/site-bookings/{pk}/confirm/").status_code == 409
    assert api_client_for("community2").get(f"/api/sites/{site.pk}/").status_code == 404
    assert site.name in resident.get("/api/sites/").content.decode()
    assert site.name not in api_client_for("community2").get("/api/sites/").content.decode()


def test_public_section_shows_hours_and_no_people(world, site, client):
    site.on_duty.set([world.resident_person])
    page = client.get(f"/community/{world.c1.code}/").content.decode()
    assert "幸福社区党群服务中心" in page and "08:30–17:30" in page and "（延时）" in page
    assert world.resident_person.name not in page


def test_figures_recount_from_the_rows_and_excel(world, site, clock_at, client_for):
    clock_at(at(5, 10))  # Saturday
    ledger.record_create(user=world.community, site_id=site.pk, kind="errand", service="社保代办", done=True)
    open_one = ledger.record_create(user=world.community, site_id=site.pk, kind="errand", service="低保申请")
    clock_at(at(7, 10))  # Monday, regular hours
    ledger.record_create(
        user=world.community, site_id=site.pk, kind="errand", service='=HYPERLINK("x")', done=True
    )
    ledger.record_create(
        user=world.community, site_id=site.pk, kind="appointment", service="老年证办理", done=True
    )
    start, end = at(1, 0), at(31, 23)
    table = site_table(world.c1, start, end)
    row = table.rows[0]
    done = ServiceRecord.objects.filter(status="done")
    assert (
        row[:4]
        == [
            site.name,
            done.filter(kind="errand").count(),
            done.filter(kind="appointment").count(),
            done.filter(extended=True).count(),
        ]
        == [site.name, 2, 1, 1]
    )
    assert table.links[0].startswith("/sites/ledger/?site=")
    above = site_table(world.s1, start, end)
    assert above.rows[0][0] == world.c1.name and above.rows[0][1:4] == row[1:4]
    staff = client_for("community")
    assert "低保申请" in staff.get("/sites/ledger/?month=2026-12").content.decode()
    response = staff.get("/sites/ledger.xlsx?month=2026-12")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for c in sheet["D"]][1:]
    assert sorted(cells) == sorted(["社保代办", "低保申请", '=HYPERLINK("x")', "老年证办理"])
    assert all(c.data_type != "f" for c in sheet["D"])
    assert open_one.status == "open"
    assert client_for("resident").get("/sites/ledger/?month=2026-12").content.decode().count("低保申请") == 0


def test_staff_add_a_room_set_hours_and_people_on_duty_on_the_page(world, site, client_for):
    staff = client_for("community")
    staff.post(f"/sites/{site.pk}/", {"form": "room", "name": "党员活动室", "capacity": 20})
    assert site.rooms.filter(name="党员活动室", capacity=20).exists()
    staff.post(f"/sites/{site.pk}/", {"form": "duty", "people": [world.neighbour_g1b.pk]})
    assert list(site.on_duty.all()) == [world.neighbour_g1b]
    page = staff.post(
        f"/sites/{site.pk}/", {"form": "hours", "hours": "1-5 08:00-12:00\n6 9:00-11:00 延时"}, follow=True
    )
    assert "开放时间已更新" in page.content.decode()
    assert [(h.weekday, h.extended) for h in site.hours.all()] == [
        (0, False),
        (1, False),
        (2, False),
        (3, False),
        (4, False),
        (5, True),
    ]
    bad = staff.post(f"/sites/{site.pk}/", {"form": "hours", "hours": "周一 全天"}).content.decode()
    assert "看不懂" in bad
    refused = client_for("resident").post(f"/sites/{site.pk}/", {"form": "room", "name": "x", "capacity": 5})
    assert "只有本社区或上级街道的工作人员可以管理该服务阵地" in refused.content.decode()
    assert not site.rooms.filter(name="x").exists()
