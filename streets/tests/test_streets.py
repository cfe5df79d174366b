"""街长制: a street with its 街长, its departments and its figures (the appeal side: appeals/tests/test_street.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from access.models import RoleAssignment
from access.scope import Scope
from categories.models import Category
from cobuilding.scope import keeps_structure
from linli.errors import PermissionDenied, ValidationError
from streets.models import Street
from streets.sections import street_table
from streets.services import street_bind, street_create, street_set_head
from triage.selectors import routed_unit

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def street(world):
    return street_create(
        user=world.community, community=world.c1, name="幸福路", section="1–99 号", grids=[world.g1a]
    )


def test_the_street_gets_its_head_and_lead_department(world, street):
    w = world
    roads = Category.objects.create(code="CS", name="城乡建设")
    other = Category.objects.create(code="JY", name="教育文体")
    street_set_head(user=w.community, street_id=street.pk, person=w.partymember_person)
    street_bind(user=w.community, street_id=street.pk, lead_unit=w.dept, categories=[roads])
    assert RoleAssignment.objects.filter(user=w.partymember, role="street_head", area=w.c1).exists()
    street.refresh_from_db()
    assert (street.head, street.lead_unit) == (w.partymember_person, w.dept)
    assert list(street.categories.all()) == [roads] and other not in street.categories.all()
    # no routing rule is written: the street's departments come first in the suggestion for appeals filed on it
    assert routed_unit(roads, w.g1a) is None


def test_refusals(world, street):
    w = world
    with pytest.raises(PermissionDenied):
        street_create(user=w.community2, community=w.c1, name="x")
    with pytest.raises(ValidationError):
        street_create(user=w.community, community=w.c1, name="幸福路", section="1–99 号")
    with pytest.raises(ValidationError):
        street_create(user=w.community, community=w.c1, name="错路", grids=[w.g2a])
    with pytest.raises(PermissionDenied):
        street_set_head(user=w.gridworker, street_id=street.pk, person=w.partymember_person)


def test_street_table_counts_the_streets_appeals(world, street, clock_at):
    from appeals.models import Appeal, Channel
    from appeals.services import appeal_submit

    w = world
    roads = Category.objects.create(code="CS", name="城乡建设")
    street_bind(user=w.community, street_id=street.pk, lead_unit=w.dept, categories=[roads])
    clock_at(datetime(2026, 11, 3, 9, tzinfo=TZ))
    filed = [
        appeal_submit(
            user=w.resident,
            title=f"路面坑洼 {n}",
            body="幸福路",
            channel=Channel.APP,
            category=roads,
            building=w.b1a,
            street=street,
        )
        for n in range(3)
    ]
    appeal_submit(
        user=w.resident, title="别处", body="二网格", channel=Channel.APP, category=roads, building=w.b1b
    )
    # given: one closed and rated resolved, one rated not resolved (returned), one not rated
    Appeal.objects.filter(pk=filed[0].pk).update(status="closed", resolved=True, satisfaction="satisfied")
    Appeal.objects.filter(pk=filed[1].pk).update(
        status="returned", resolved=False, satisfaction="unsatisfied"
    )
    table = street_table(w.c1, datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))
    assert table is not None
    row = table.rows[0]
    assert row[0] == "幸福社区 · 幸福路（1–99 号）"
    assert row[3:7] == [
        3,
        1,
        2,
        1,
    ]  # appeals, closed, rated, resolved (the appeal off the street not counted)
    assert str(row[7]) == "50.0%（1 ÷ 2）"
    assert table.links == [f"/streets/{street.pk}/"]
    assert (
        street_table(w.c1, datetime(2026, 12, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ)).rows[0][3] == 0
    )
    page = client_for_street_page(w, street)
    assert "50.0%（1 ÷ 2）" in page and "路面坑洼 2" in page


def client_for_street_page(w, street) -> str:
    from django.test import Client

    client = Client()
    client.force_login(w.community)
    return client.get(f"/streets/{street.pk}/").content.decode()


@pytest.mark.parametrize(
    "persona, keeps",
    [
        ("community", True),
        ("subdistrict", True),
        ("gridworker", False),
        ("resident", False),
        ("community2", False),
        ("unit", False),
        ("district", False),
    ],
)
def test_scope_matrix_of_streets(world, street, persona, keeps):
    assert keeps_structure(Scope.of(getattr(world, persona)), street.community) is keeps


def test_pages(world, client_for, street):
    w = world
    page = client_for("community").get(f"/streets/community/{w.c1.pk}/").content.decode()
    assert "幸福路（1–99 号）" in page and "设街长、牵头部门" in page
    client_for("community").post(
        f"/streets/community/{w.c1.pk}/act/", {"street": street.pk, "head": w.partymember_person.pk}
    )
    assert Street.objects.get(pk=street.pk).head == w.partymember_person
    assert client_for("community2").get(f"/streets/community/{w.c1.pk}/").status_code == 404
    public = client_for("resident").get(f"/community/{w.c1.code}/").content.decode()
    assert "街长公示" in public and w.partymember_person.name in public
    assert 'id="streets"' in client_for("community").get(f"/areas/{w.c1.pk}/").content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("resident", 200),  # their own community's street
        ("gridworker", 200),
        ("buildinghead", 200),
        ("community", 200),
        ("subdistrict", 200),
        ("district", 200),
        ("admin", 200),
        ("unit", 200),  # 幸福物业 serves 幸福社区
        ("partymember", 200),
        ("community2", 404),
        ("gridworker2", 404),
        ("unit2", 404),
    ],
)
def test_street_page_scope(world, client_for, street, persona, status):
    assert client_for(persona).get(f"/streets/{street.pk}/").status_code == status


def test_demo_marks_the_appeals_about_the_street_afterwards(world, street):
    from appeals.models import Appeal, Channel
    from appeals.services import appeal_submit
    from streets.demo import _tag_appeals

    w = world
    lights = Category.objects.create(code="CXJS-SZSS", name="市政设施")
    noise = Category.objects.create(code="HJBH-ZS", name="噪声")
    on = appeal_submit(
        user=w.resident,
        title="路灯坏了",
        body="门口路灯",
        channel=Channel.APP,
        category=lights,
        building=w.b1a,
    )
    off = appeal_submit(
        user=w.resident,
        title="夜里噪声",
        body="楼上装修",
        channel=Channel.APP,
        category=noise,
        building=w.b1a,
    )
    assert _tag_appeals() == 1
    assert Appeal.objects.get(pk=on.pk).street == street and Appeal.objects.get(pk=off.pk).street is None
    assert _tag_appeals() == 0  # once
