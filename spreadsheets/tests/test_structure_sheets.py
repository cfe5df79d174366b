"""The structure sheets (issue 16) through the Excel workbook: the party tree, 共建 agreements and pledges, 联席会议
and members, streets and 街长, 楼院三长. An export imports into an empty database as the same rows, and into the
same database as nothing new; a bad row gives its row error and the import changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from access.scope import Scope
from categories.models import Category
from cobuilding.models import Agreement, Pledge
from cobuilding.services import agreement_create, pledge_add
from councils.models import Council, Seat
from councils.services import council_create, seat_add
from estates.models import Steward
from estates.services import steward_appoint
from spreadsheets.tests.helpers import (
    build_places,
    errors_of,
    make_workbook,
    read_sheets,
    run_import,
    table_counts,
)
from spreadsheets.workbook import workbook_export
from streets.models import Street
from streets.services import street_bind, street_create, street_set_head
from units.models import PartyOrg
from units.services import party_org_create

pytestmark = pytest.mark.django_db


def build_structure(admin) -> None:
    t = build_places()
    roads = Category.objects.get(code="CXJS")
    grid_branch = party_org_create(
        actor=admin, kind=PartyOrg.Kind.BRANCH, code="PO_G1A", name="一网格党支部", parent=t.po_c1, area=t.g1a
    )
    party_org_create(
        actor=admin,
        kind=PartyOrg.Kind.GROUP,
        code="PO_B1A",
        name="幸福1号楼党小组",
        parent=grid_branch,
        area=t.g1a,
        building=t.b1a,
        secretary=t.he,
    )
    deal = agreement_create(
        user=admin,
        community=t.c1,
        unit=t.pm1,
        title="红色物业共建",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    pledge_add(user=admin, agreement_id=deal.pk, kind="money", description="楼道照明", amount_fen=1_250_050)
    pledge_add(user=admin, agreement_id=deal.pk, kind="service", description="义务维修", hours_per_year=120)
    council = council_create(
        user=admin, area=t.c1, kind="joint_meeting", name="幸福社区联席会议", convenor=t.he
    )
    seat_add(user=admin, council_id=council.pk, unit=t.pm1, post="成员单位")
    seat_add(user=admin, council_id=council.pk, person=t.he, post="召集人")
    street = street_create(user=admin, community=t.c1, name="幸福路", section="1–99 号", grids=[t.g1a, t.g1b])
    street_set_head(user=admin, street_id=street.pk, person=t.he)
    street_bind(user=admin, street_id=street.pk, lead_unit=t.dept, categories=[roads], units=[t.pm1])
    t.he.community = t.c1
    steward_appoint(
        user=admin,
        person=t.he,
        building=t.b1a,
        post="building_head",
        households=[t.h101.pk, t.h102.pk],
        appointed_on=date(2026, 3, 1),
        years=3,
    )


def structure_snapshot() -> dict:
    return {
        "orgs": sorted(
            (
                o.code,
                o.name,
                o.kind,
                o.parent.code if o.parent else "",
                o.area.code if o.area else "",
                o.unit.code if o.unit else "",
                o.building.code if o.building else "",
                o.secretary.phone if o.secretary else "",
            )
            for o in PartyOrg.objects.select_related("parent", "area", "unit", "building", "secretary")
        ),
        "agreements": sorted(
            (a.unit.code, a.community.code, a.title, a.starts_on, a.ends_on) for a in Agreement.objects.all()
        ),
        "pledges": sorted(
            (p.agreement.title, p.kind, p.description, p.amount_fen, p.people, p.hours_per_year)
            for p in Pledge.objects.all()
        ),
        "councils": sorted(
            (c.area.code, c.name, c.kind, c.convenor.phone if c.convenor else "")
            for c in Council.objects.all()
        ),
        "seats": sorted(
            (s.council.name, s.unit.code if s.unit else "", s.person.phone if s.person else "", s.post)
            for s in Seat.objects.all()
        ),
        "streets": sorted(
            (
                s.community.code,
                s.name,
                s.section,
                s.head.phone if s.head else "",
                s.lead_unit.code if s.lead_unit else "",
                tuple(sorted(g.code for g in s.grids.all())),
                tuple(sorted(u.code for u in s.units.all())),
                tuple(sorted(c.code for c in s.categories.all())),
            )
            for s in Street.objects.all()
        ),
        "stewards": sorted(
            (
                h.letter_no,
                h.building.code,
                h.post,
                h.person.phone,
                h.appointed_on,
                h.term_ends_on,
                tuple(sorted(x.number for x in h.households.all())),
            )
            for h in Steward.objects.all()
        ),
    }


class Rollback(Exception):
    pass


@pytest.fixture
def admin():
    Category.objects.create(code="CXJS", name="城乡建设")
    return get_user_model().objects.create_superuser("root", password="x-test-password")


def test_an_export_imports_into_an_empty_database_as_the_same_rows(admin):
    # given a town with its structure, exported and rolled back
    with pytest.raises(Rollback), transaction.atomic():
        build_structure(admin)
        data = workbook_export(scope=Scope.of(admin))
        before = structure_snapshot()
        raise Rollback
    assert not PartyOrg.objects.exists() and not Street.objects.exists()
    sheets = read_sheets(data)
    assert len(sheets["街路"]) == 2 and sheets["街路"][1][:4] == ["C1", "幸福路", "1–99 号", "G1A、G1B"]

    # when it is imported
    result = run_import(admin, data)

    # then every structure row comes back as it was
    assert result.ok, result.errors
    assert {k: v for k, v in result.created.items() if k in before or k in ("党组织", "街路")}
    assert (
        result.created["党组织"] == 3 and result.created["共建承诺"] == 2 and result.created["楼院三长"] == 1
    )
    assert structure_snapshot() == before


def test_reimporting_changes_nothing(admin):
    build_structure(admin)
    data = workbook_export(scope=Scope.of(admin))
    before, counts = structure_snapshot(), table_counts()
    result = run_import(admin, data)
    assert result.ok, result.errors
    assert sum(result.created.values()) == 0
    assert (
        result.unchanged["街路"] == 1
        and result.unchanged["联席会议成员"] == 2
        and result.unchanged["党组织"] == 3
    )
    assert structure_snapshot() == before
    assert table_counts() == {**counts, "audit": counts["audit"] + 1}


def test_a_bad_row_gives_its_row_error_and_changes_nothing(admin):
    build_places()
    before, counts = structure_snapshot(), table_counts()
    data = make_workbook(
        {
            "党组织": [["PO_G1B", "二网格党支部", "党支部", "PO_C1", "G1B", "", "", "", ""]],
            "街路": [
                ["C1", "幸福路", "", "G1A", "何党员", "13800000007", "DEPT", "", "CXJS"],
                ["C1", "和平路", "", "G2A", "", "", "", "", ""],  # a grid of another community
                [
                    "C1",
                    "青年路",
                    "",
                    "",
                    "无此人",
                    "",
                    "",
                    "PM1",
                    "",
                ],  # nobody of that name; 包保 without a lead
            ],
            "楼院三长": [["", "B1A", "楼长", "", "何党员", "", "101、999", "2026-03-01", "2029-03-01"]],
            "共建承诺": [["PM1", "C1", "没有的协议", "资金", "照明", "100", "", ""]],
        }
    )
    result = run_import(admin, data)
    assert not result.ok
    assert errors_of(result) == [
        ("共建承诺", 2, "协议名称"),
        ("街路", 3, ""),
        ("街路", 4, "街长姓名"),
        ("楼院三长", 2, "联系户房号"),
    ]
    assert "途经网格须是幸福社区的网格" in str(result.errors[1])
    assert structure_snapshot() == before and table_counts() == counts


def test_a_bad_cell_is_reported_before_anything_is_written(admin):
    build_places()
    counts = table_counts()
    data = make_workbook({"共建承诺": [["PM1", "C1", "红色物业共建", "资金", "照明", "abc", "", ""]]})
    result = run_import(admin, data)
    assert errors_of(result) == [("共建承诺", 2, "金额（元）")] and table_counts() == counts
