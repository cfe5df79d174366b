"""共建 agreements: kept by the community's staff, and what the unit did counted from the platform's records."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from access.scope import Scope
from cobuilding.models import Agreement
from cobuilding.scope import agreements, keeps_structure
from cobuilding.sections import contributions_table
from cobuilding.selectors import community_year, work_of, year_bounds
from cobuilding.services import agreement_create, agreement_end, pledge_add
from linli.errors import PermissionDenied, TransitionError, ValidationError
from projects.services import project_claim, project_complete, project_create
from units.models import CoBuildingLink

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _agreement(w, **kw) -> Agreement:
    values = dict(
        user=w.community,
        community=w.c1,
        unit=w.pm1,
        title="幸福物业共建协议",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    values.update(kw)
    return agreement_create(**values)


def test_staff_register_an_agreement_and_its_pledges(world):
    w = world
    agreement = _agreement(w)
    pledge_add(
        user=w.community, agreement_id=agreement.pk, kind="money", description="帮扶资金", amount_fen=500000
    )
    pledge_add(user=w.community, agreement_id=agreement.pk, kind="people", description="党员志愿者", people=6)
    # then the unit's party org co-builds with the community (so it may claim projects) and the pledges are kept
    assert agreement.party_org == w.po_pm1
    assert CoBuildingLink.objects.filter(party_org=w.po_pm1, community=w.c1).exists()
    assert [(p.kind, p.amount_fen, p.people) for p in agreement.pledges.all()] == [
        ("money", 500000, 0),
        ("people", 0, 6),
    ]


def test_bad_input_and_outsiders_are_refused(world):
    w = world
    with pytest.raises(ValidationError) as err:
        _agreement(w, ends_on=date(2025, 1, 1))
    assert "截止日期不能早于起始日期" in str(err.value)
    with pytest.raises(PermissionDenied):
        _agreement(w, user=w.community2)
    with pytest.raises(PermissionDenied):
        _agreement(w, user=w.gridworker)
    agreement = _agreement(w)
    with pytest.raises(ValidationError) as err:
        _agreement(w, starts_on=date(2027, 1, 1), ends_on=date(2029, 1, 1))
    assert "已有期限重叠的共建协议" in str(err.value)
    with pytest.raises(ValidationError):
        pledge_add(user=w.community, agreement_id=agreement.pk, kind="money", description="x", amount_fen=0)
    # the unit itself reads its agreement but does not change it
    with pytest.raises(PermissionDenied):
        pledge_add(user=w.unit, agreement_id=agreement.pk, kind="service", description="x")


def test_an_ended_agreement_cannot_be_ended_again(world, clock_at):
    w = world
    agreement = _agreement(w)
    agreement_end(user=w.community, agreement_id=agreement.pk, reason="单位撤并")
    with pytest.raises(TransitionError):
        agreement_end(user=w.community, agreement_id=agreement.pk, reason="再次")
    with pytest.raises(TransitionError):
        pledge_add(user=w.community, agreement_id=agreement.pk, kind="service", description="x")


def test_what_the_unit_did_is_counted_from_its_projects(world, clock_at):
    # given an agreement and a project the unit claimed and finished in 2026, and one claimed in 2025
    w = world
    _agreement(w, starts_on=date(2025, 1, 1))
    clock_at(datetime(2025, 11, 3, 10, tzinfo=TZ))
    old = project_create(
        user=w.community, community=w.c1, kind="co_building", title="旧项目", description="x"
    )
    project_claim(user=w.unit, project_id=old.pk, unit=w.pm1)
    clock_at(datetime(2026, 3, 3, 10, tzinfo=TZ))
    new = project_create(
        user=w.community, community=w.c1, kind="co_building", title="楼道照明", description="x"
    )
    project_claim(user=w.unit, project_id=new.pk, unit=w.pm1)
    project_complete(user=w.community, project_id=new.pk, note="完工")
    # then 2026 counts the one claimed and done in 2026
    start, end = year_bounds(2026)
    work = work_of(w.pm1, w.c1, start, end)
    assert (work.projects_claimed, work.projects_done, work.orders_done) == (1, 1, 0)
    [row] = community_year(agreements(Scope.of(w.community)), w.c1, 2026)
    assert row.work == work
    # and the dashboard table says the same, for the period asked
    table = contributions_table(w.s1, start, end)
    assert table is not None and table.rows == [["幸福物业 ↔ 幸福社区", 1, 1, 0, "0.0", 0]]
    t2025 = contributions_table(w.s1, *year_bounds(2025))
    assert t2025 is not None and t2025.rows[0][1:3] == [1, 0]


@pytest.mark.parametrize(
    "persona, sees, keeps",
    [
        ("community", True, True),
        ("subdistrict", True, True),
        ("district", True, False),
        ("admin", True, True),
        ("gridworker", True, False),
        ("gridleader", True, False),
        ("resident", True, False),
        ("partymember", True, False),
        ("buildinghead", False, False),
        ("unit", True, False),  # its own unit's agreement
        ("community2", False, False),
        ("gridworker2", False, False),
        ("unit2", False, False),
    ],
)
def test_scope_matrix_of_agreements(world, persona, sees, keeps):
    w = world
    agreement = _agreement(w)
    scope = Scope.of(getattr(w, persona))
    assert agreements(scope).filter(pk=agreement.pk).exists() is sees
    assert keeps_structure(scope, w.c1) is keeps
