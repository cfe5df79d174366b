"""楼院三长: appointed by the community's staff with the households they cover, a 聘书, and the coverage figure."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from access.models import RoleAssignment
from access.scope import Scope
from cobuilding.scope import keeps_structure
from estates.models import Steward
from estates.sections import coverage_table
from estates.selectors import stewards
from estates.services import steward_appoint, steward_end
from evaluation.ledgers import Rate
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _head(w, **kw) -> Steward:
    values = dict(
        user=w.community,
        person=w.resident_person,
        building=w.b1a,
        post="household_head",
        households=[w.h1a.pk, w.h1a2.pk],
        appointed_on=date(2026, 3, 1),
    )
    values.update(kw)
    return steward_appoint(**values)


def test_a_household_head_covers_flats_gets_the_role_and_a_letter_number(world):
    w = world
    steward = _head(w)
    assert set(steward.households.all()) == {w.h1a, w.h1a2}
    assert steward.letter_no == "C1-2026-001" and steward.term_ends_on == date(2029, 3, 1)
    assert RoleAssignment.objects.filter(user=w.resident, role="household_head", building=w.b1a).exists()
    # ending the term revokes the role; a second ending is refused as already done (409)
    steward_end(user=w.community, steward_id=steward.pk, reason="搬离")
    assert not RoleAssignment.objects.filter(user=w.resident, role="household_head").exists()
    with pytest.raises(TransitionError):
        steward_end(user=w.community, steward_id=steward.pk, reason="again")


def test_refusals(world):
    w = world
    with pytest.raises(ValidationError) as err:
        _head(w, households=[w.h1b.pk])
    assert "联系户须是幸福1号楼的住户" in str(err.value)
    with pytest.raises(ValidationError):
        _head(w, person=w.resident_c2)  # lives in another community
    with pytest.raises(ValidationError):
        _head(w, post="unit_head")  # no entrance
    with pytest.raises(PermissionDenied):
        _head(w, user=w.community2)
    with pytest.raises(PermissionDenied):
        _head(w, user=w.buildinghead)
    _head(w, post="building_head", households=[])
    with pytest.raises(ValidationError) as err:
        _head(w, post="building_head", person=w.neighbour_g1b, households=[])
    assert "已有在任楼长" in str(err.value)


def test_coverage_recounts_from_the_rows(world, clock_at):
    w = world
    clock_at(datetime(2026, 12, 2, 9, tzinfo=TZ))
    _head(w, post="building_head", households=[])
    _head(w, households=[w.h1a.pk])
    table = coverage_table(w.c1, datetime(2026, 11, 1, tzinfo=TZ), datetime(2026, 12, 1, tzinfo=TZ))
    assert table is not None
    total = table.rows[-1]
    buildings = [w.b1a, w.b1b]
    with_head = [
        b
        for b in buildings
        if Steward.objects.filter(building=b, post="building_head", ended_at=None).exists()
    ]
    households = [h for b in buildings for h in b.households.all()]
    covered = [h for h in households if h.stewards.filter(post="household_head", ended_at=None).exists()]
    assert total[1:7] == [
        2,
        len(with_head),
        Rate(len(with_head), 2),
        len(households),
        len(covered),
        Rate(len(covered), len(households)),
    ]
    assert str(total[3]) == "50.0%（1 ÷ 2）" and str(total[6]) == "33.3%（1 ÷ 3）"
    assert total[7:] == [1, 0]  # the resident is not a party member


@pytest.mark.parametrize(
    "persona, sees, keeps",
    [
        ("community", True, True),
        ("subdistrict", True, True),
        ("district", True, False),
        ("admin", True, True),
        ("gridworker", True, False),
        ("buildinghead", True, False),
        ("resident", True, False),
        ("unit", True, False),  # the firm serving c1 reads its buildings
        ("community2", False, False),
        ("gridworker2", False, False),
        ("unit2", False, False),
    ],
)
def test_scope_matrix_of_stewards(world, persona, sees, keeps):
    w = world
    steward = _head(w)
    scope = Scope.of(getattr(w, persona))
    assert stewards(scope).filter(pk=steward.pk).exists() is sees
    assert keeps_structure(scope, w.c1) is keeps


def test_pages_and_the_letter(world, client_for):
    w = world
    client = client_for("community")
    client.post(
        f"/estates/buildings/{w.b1a.pk}/appoint/", {"post": "building_head", "person": w.resident_person.pk}
    )
    steward = Steward.objects.get(post="building_head")
    page = client.get(f"/estates/community/{w.c1.pk}/").content.decode()
    assert "楼长制覆盖率 50%（1 ÷ 2 栋）" in page and w.resident_person.name in page
    letter = client.get(f"/estates/stewards/{steward.pk}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert client_for("community2").get(f"/estates/stewards/{steward.pk}/letter.pdf").status_code == 404
    area_page = client.get(f"/areas/{w.c1.pk}/").content.decode()
    assert 'id="stewards"' in area_page
    public = client_for("resident").get(f"/community/{w.c1.code}/").content.decode()
    assert "楼长、单元长" in public and "13812345678" not in public
