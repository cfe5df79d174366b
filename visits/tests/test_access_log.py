"""The PIPL access log of 走访: a household's door shown with who lives there (the visit form), with whom the
visitor saw (a visit's page, the API), or found by a resident's name (the worker's list) writes one address row per
person named, naming the household, in one insert; none for the viewer's own home, for a visit where nobody was
home, or a search by door number. The administrator reads and exports them."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import PersonalDataView
from audit.testing import administrator_reads
from people.models import HouseholdMember
from people.services import household_member_add
from visits import services

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _now(clock_at):
    clock_at(NOW)


def rows(**filters) -> list[PersonalDataView]:
    return list(PersonalDataView.objects.filter(**filters).order_by("id"))


def inserts(queries) -> int:
    return len([q for q in queries if q["sql"].startswith('INSERT INTO "audit_personaldataview"')])


def logged(world, *, met: bool = True):
    seen = [world.resident_person] if met else []
    visit, _ = services.visit_log(
        user=world.gridworker, household=world.h1a, key=uuid.uuid4(), seen=seen, met=met
    )
    return visit


def test_the_visit_form_logs_each_member_at_the_door_in_one_insert(client_for, world):
    household_member_add(
        person=world.neighbour_g1b, household=world.h1a, relation=HouseholdMember.Relation.TENANT
    )
    client = client_for("gridworker")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/visits/households/{world.h1a.pk}/visit/").content.decode()
    assert "幸福1号楼 101" in page and "张秀英" in page and "李桂兰" in page
    where = f"/visits/households/{world.h1a.pk}/visit/"
    assert [(r.field, r.person, r.subject, r.where) for r in rows(actor=world.gridworker)] == [
        ("address", world.resident_person, f"areas.household#{world.h1a.pk}", where),
        ("address", world.neighbour_g1b, f"areas.household#{world.h1a.pk}", where),
    ]
    assert inserts(queries) == 1


def test_the_visitors_own_home_is_not_logged(client_for, world):
    household_member_add(
        person=world.gridworker_person, household=world.h1a, relation=HouseholdMember.Relation.CHILD
    )
    client_for("gridworker").get(f"/visits/households/{world.h1a.pk}/visit/")
    assert [r.person for r in rows()] == [world.resident_person]


def test_a_visits_page_logs_whom_the_visitor_saw_and_nothing_when_nobody_was_home(client_for, world):
    visit, empty = logged(world), logged(world, met=False)
    client = client_for("community")
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "张秀英" in page and "幸福1号楼 101" in page
    [row] = rows()
    assert (row.actor, row.person, row.field, row.where) == (
        world.community,
        world.resident_person,
        "address",
        f"/visits/{visit.pk}/",
    )
    assert "无人在家" in client.get(f"/visits/{empty.pk}/").content.decode()
    assert len(rows()) == 1


def test_the_visits_api_logs_the_people_seen_a_list_in_one_insert(api_client_for, world):
    api = api_client_for("gridleader")
    visits = [logged(world)]
    api.get("/api/visits/")  # warm: the user's scope
    with CaptureQueriesContext(connection) as one:
        api.get("/api/visits/")
    visits += [logged(world) for _ in range(2)]
    logged(world, met=False)
    with CaptureQueriesContext(connection) as queries:
        listed = api.get("/api/visits/").json()
    assert len(listed["results"] if isinstance(listed, dict) else listed) == 4
    assert inserts(queries) == 1 and len(queries) == len(one)  # as many queries for four visits as for one
    assert len(rows(where="/api/visits/")) == 2 + 3
    one = api.get(f"/api/visits/{visits[0].pk}/").json()
    assert one["seen"] == [world.resident_person.pk] and one["household_name"] == "幸福1号楼 101"
    [row] = rows(where=f"/api/visits/{visits[0].pk}/")
    assert (row.actor, row.person, row.subject) == (
        world.gridleader,
        world.resident_person,
        f"areas.household#{world.h1a.pk}",
    )
    # logging a visit answers with it: the people seen at the door are in the log too
    body = {"household": world.h1a.pk, "key": str(uuid.uuid4()), "seen": [world.resident_person.pk]}
    assert api.post("/api/visits/", body, format="json").status_code == 201
    assert len(rows(where="/api/visits/")) == 2 + 3 + 1


def test_finding_a_household_by_a_residents_name_logs_their_door(client_for, world):
    client = client_for("gridworker")
    page = client.get("/visits/", {"q": "张秀英", "all": "1"}).content.decode()
    assert "101" in page
    [row] = rows()
    assert (row.person, row.subject, row.where) == (
        world.resident_person,
        f"areas.household#{world.h1a.pk}",
        "/visits/",
    )
    client.get("/visits/", {"q": "101", "all": "1"})  # by door number: no one named
    client.get("/visits/")
    assert len(rows()) == 1


def test_the_administrator_reads_and_exports_the_doors_seen(client_for, world):
    client_for("gridworker").get(f"/visits/households/{world.h1a.pk}/visit/")
    page, sheet = administrator_reads(world.admin, rows())
    assert f"areas.household#{world.h1a.pk}" in page
    assert [r[1:7] for r in sheet[1:]] == [
        [
            "gridworker",
            world.resident_person.pk,
            "张秀英",
            "住址",
            f"areas.household#{world.h1a.pk}",
            f"/visits/households/{world.h1a.pk}/visit/",
        ]
    ]
