"""The PIPL access log of an appeal's place (its building and free-text address, as its raiser's address) and of
the homes shown by the intake's person search: the appeal page, the API detail, the list API and the action
answers write one address row per appeal shown, naming the appeal, in the same insert as the phone's row; none for
the raiser's own appeal or an appeal without a place. An anonymous appeal stays anonymous to the unit (no name, no
phone, nothing in the page) while its place, shown to the unit, is still in the log the administrator reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals import services
from appeals.models import Appeal, Channel
from audit.models import PersonalDataView
from audit.testing import administrator_reads
from linli.testing import api_client

pytestmark = pytest.mark.django_db

NAME, PHONE, DOOR = "张秀英", "13812345678", "幸福小区 1 号楼 101 室"


def rows(**filters) -> list[PersonalDataView]:
    return list(PersonalDataView.objects.filter(**filters).order_by("id"))


def raised(world, *, anonymous: bool = False, address: str = DOOR, building=True) -> Appeal:
    appeal = services.appeal_submit(
        user=world.resident,
        title="楼下烧烤油烟",
        body="每晚十点后油烟很大。",
        channel=Channel.APP,
        building=world.b1a if building else None,
        community=None if building else world.c1,
        address=address,
        is_anonymous=anonymous,
    )
    services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)
    return appeal


def place_rows(appeal: Appeal) -> list[PersonalDataView]:
    return rows(field="address", subject=f"appeals.appeal#{appeal.pk}")


def test_the_appeal_page_logs_its_place_as_the_raisers_address_with_the_phone_in_one_insert(client, world):
    appeal = raised(world)
    client.force_login(world.community)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert DOOR in page and PHONE in page
    [row] = place_rows(appeal)
    assert (row.actor, row.person, row.where) == (
        world.community,
        world.resident_person,
        f"/appeals/{appeal.pk}/",
    )
    assert [r.field for r in rows(actor=world.community)] == ["phone", "address"]
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "audit_personaldataview"')]
    assert len(inserts) == 1, inserts


def test_the_api_detail_and_an_actions_answer_log_the_place(world):
    appeal = raised(world)
    unit = api_client(world.unit)
    assert unit.get(f"/api/appeals/{appeal.pk}/").json()["address"] == DOOR
    unit.post(f"/api/appeals/{appeal.pk}/accept/", {}, format="json")
    assert [r.where for r in place_rows(appeal)] == [
        f"/api/appeals/{appeal.pk}/",
        f"/api/appeals/{appeal.pk}/accept/",
    ]
    assert {(r.actor, r.person) for r in place_rows(appeal)} == {(world.unit, world.resident_person)}


def test_the_list_api_logs_each_appeal_shown_with_a_place_in_one_insert(world):
    with_place = [raised(world), raised(world, address="", building=True)]
    without = raised(world, address="", building=False)
    with CaptureQueriesContext(connection) as queries:
        listed = api_client(world.community).get("/api/appeals/?status=").json()["results"]
    assert {a["id"] for a in listed} >= {a.pk for a in [*with_place, without]}
    logged = rows(field="address", where="/api/appeals/")
    assert sorted(r.subject for r in logged) == sorted(f"appeals.appeal#{a.pk}" for a in with_place)
    assert {r.person for r in logged} == {world.resident_person}
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "audit_personaldataview"')]
    assert len(inserts) == 1, inserts


def test_the_raisers_own_appeal_writes_nothing(client, world):
    appeal = raised(world)
    client.force_login(world.resident)
    assert DOOR in client.get(f"/appeals/{appeal.pk}/").content.decode()
    own = api_client(world.resident)
    own.get(f"/api/appeals/{appeal.pk}/")
    own.get("/api/appeals/")
    assert not rows(actor=world.resident)


def test_an_anonymous_appeal_stays_anonymous_to_the_unit_and_its_place_is_logged(client, world):
    appeal = raised(world, anonymous=True)
    client.force_login(world.unit)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    detail = api_client(world.unit).get(f"/api/appeals/{appeal.pk}/").json()
    # the unit learns where to go, not who asked
    assert DOOR in page and detail["address"] == DOOR
    assert "匿名居民" in page and NAME not in page and PHONE not in page and "5678" not in page
    assert (detail["raised_by_name"], detail["raised_by_phone"]) == ("匿名居民", "")
    assert NAME not in str(detail) and PHONE not in str(detail)
    # no phone row (none was shown); the place's rows say whose it is, for the administrator only
    assert [(r.field, r.person, r.where) for r in rows(actor=world.unit)] == [
        ("address", world.resident_person, f"/appeals/{appeal.pk}/"),
        ("address", world.resident_person, f"/api/appeals/{appeal.pk}/"),
    ]


def test_the_intake_search_logs_the_homes_it_shows(client, world):
    # a building head finds residents to record for: phones masked, homes in full
    client.force_login(world.buildinghead)
    found = client.get("/appeals/new/people/", {"q": NAME}).content.decode()
    assert "幸福1号楼 101" in found and "138****5678" in found
    [row] = rows(actor=world.buildinghead)
    assert (row.field, row.person, row.where) == ("address", world.resident_person, "/appeals/new/people/")
    # the grid worker sees the phone too: both rows in one insert
    client.force_login(world.gridworker)
    with CaptureQueriesContext(connection) as queries:
        found = client.get("/appeals/new/people/", {"q": NAME}).content.decode()
    assert PHONE in found
    assert [(r.field, r.person) for r in rows(actor=world.gridworker)] == [
        ("phone", world.resident_person),
        ("address", world.resident_person),
    ]
    assert len([q for q in queries if q["sql"].startswith('INSERT INTO "audit_personaldataview"')]) == 1


def test_the_intake_search_logs_no_home_for_someone_without_one(client, world):
    client.force_login(world.community)
    found = client.get("/appeals/new/people/", {"q": "何党员"}).content.decode()  # registered, no home
    assert "何党员" in found
    assert not rows(field="address")


def test_the_administrator_reads_and_exports_the_places_seen(client, world):
    appeal = raised(world, anonymous=True)
    client.force_login(world.unit)
    client.get(f"/appeals/{appeal.pk}/")
    logged = place_rows(appeal)
    page, sheet = administrator_reads(world.admin, logged)
    assert f"appeals.appeal#{appeal.pk}" in page and f"/appeals/{appeal.pk}/" in page
    assert sheet[0][:7] == ["时间", "查看人", "被查看人编号", "被查看人", "信息", "所在记录", "页面或接口"]
    assert [r[1:7] for r in sheet[1:]] == [
        [
            "unit",
            world.resident_person.pk,
            NAME,
            "住址",
            f"appeals.appeal#{appeal.pk}",
            f"/appeals/{appeal.pk}/",
        ]
    ]
