"""The structure sheets (issue 16) through the Excel workbook: the party tree, 共建 agreements and pledges, 联席会议
and members, streets and 街长, 楼院三长, 小区 (bodies and members). An export imports into an empty database as
the same rows, and into the same database as nothing new; a bad row gives its row error and the import changes
nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from access.scope import Scope
from categories.models import Category
from cobuilding.models import Agreement, Pledge
from cobuilding.services import agreement_create, pledge_add
from compounds.models import Body, Compound, Member
from compounds.services import body_create, compound_create, firm_appoint, member_add
from councils.models import Council, Seat
from councils.services import council_create, seat_add
from estates.models import Steward
from estates.services import steward_appoint
from spreadsheets.tests.helpers import (
    add_personas,
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
    xq = compound_create(
        user=admin,
        community=t.c1,
        code="XQ1",
        name="幸福小区",
        kind="old",
        address="幸福路",
        buildings=[t.b1a],
    )
    owners = body_create(
        user=admin,
        compound_id=xq.pk,
        kind="owners_committee",
        starts_on=date(2025, 6, 1),
        ends_on=date(2030, 5, 31),
    )
    member_add(user=admin, body_id=owners.pk, person=t.zhang, post="director", starts_on=date(2025, 6, 1))
    firm = firm_appoint(
        user=admin, compound_id=xq.pk, firm=t.pm1, starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31)
    )
    member_add(user=admin, body_id=firm.pk, person=t.he, post="manager", starts_on=date(2026, 1, 1))


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
        "compounds": sorted(
            (
                c.code,
                c.community.code,
                c.name,
                c.kind,
                c.address,
                tuple(sorted(b.code for b in c.buildings.all())),
            )
            for c in Compound.objects.all()
        ),
        "bodies": sorted(
            (
                b.compound.code,
                b.kind,
                b.term_no,
                b.status,
                b.firm.code if b.firm else "",
                b.party_org.code if b.party_org else "",
                b.starts_on,
                b.ends_on,
            )
            for b in Body.objects.all()
        ),
        "members": sorted(
            (m.body.compound.code, m.body.kind, m.person.phone, m.post, m.starts_on, m.ends_on, m.left_at)
            for m in Member.objects.all()
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
    assert (
        result.created["小区"] == 1
        and result.created["小区组织"] == 2
        and result.created["小区组织成员"] == 2
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
        and result.unchanged["小区组织成员"] == 2
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


def test_bad_compound_rows_give_their_row_errors_and_change_nothing(admin):
    build_places()
    before, counts = structure_snapshot(), table_counts()
    data = make_workbook(
        {
            "小区": [
                ["XQ2", "C1", "二号小区", "商品房小区", "", "B1A"],
                ["XQ3", "C1", "三号小区", "老旧小区", "", "B2A"],  # a building of another community
            ],
            "小区组织": [
                ["XQ9", "业委会", "", "", "2025-06-01", "2030-05-31"],  # no such compound
                ["XQ2", "物业", "", "", "2026-01-01", "2028-12-31"],  # a 物业 without its firm
                ["XQ2", "业委会", "", "", "2025-06-01", "2030-05-31"],
            ],
            "小区组织成员": [
                ["XQ2", "业委会", "王德明", "", "委员", "", ""],  # not an owner in the compound
                ["XQ2", "自管会", "张秀英", "", "主任", "", ""],  # no 自管会 in office
            ],
        }
    )
    result = run_import(admin, data)
    assert errors_of(result) == [
        ("小区", 3, ""),
        ("小区组织", 2, "小区代码"),
        ("小区组织", 3, "物业服务企业代码"),
        ("小区组织成员", 2, ""),
        ("小区组织成员", 3, "组织类型"),
    ]
    assert "王德明不是二号小区的业主" in str(result.errors[3])
    assert structure_snapshot() == before and table_counts() == counts


def test_compound_sheets_follow_the_community_scope(admin):
    t = add_personas(build_places())
    compound_create(user=admin, community=t.c1, code="XQ1", name="幸福小区", kind="old", buildings=[t.b1a])
    own = read_sheets(workbook_export(scope=Scope.of(t.staff_c1)))
    other = read_sheets(workbook_export(scope=Scope.of(t.staff_c2)))
    assert [row[0] for row in own["小区"][1:]] == ["XQ1"] and other["小区"][1:] == []

    row = [["XQ2", "C1", "二号小区", "商品房小区", "", ""]]
    refused = run_import(t.staff_c2, make_workbook({"小区": row}))
    assert errors_of(refused) == [("小区", 2, "社区代码")]
    assert not Compound.objects.filter(code="XQ2").exists()
    made = run_import(t.staff_c1, make_workbook({"小区": row}))
    assert made.ok, made.errors
    assert Compound.objects.get(code="XQ2").community == t.c1
