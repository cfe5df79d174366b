"""街长制: a street with its 街长; appeals on it of its categories route to the 街长's department."""

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
    # routing is not written (triage's rules stop at the community): the community's routing is unchanged
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
    from appeals.models import Channel
    from appeals.services import appeal_submit

    w = world
    roads = Category.objects.create(code="CS", name="城乡建设")
    street_bind(user=w.community, street_id=street.pk, lead_unit=w.dept, categories=[roads])
    clock_at(datetime(2026, 11, 3, 9, tzinfo=TZ))
    appeal_submit(
        user=w.resident, title="路面坑洼", body="幸福路", channel=Channel.APP, category=roads, building=w.b1a
    )
    appeal_submit(
        user=w.resident, title="别处", body="二网格", channel=Channel.APP, category=roads, building=w.b1b
    )
    table = street_table(w.c1, datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))
    assert table is not None and table.rows[0][3:5] == [1, 0]


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
