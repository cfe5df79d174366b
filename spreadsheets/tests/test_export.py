"""The blank template and the export share one format; an export can be imported again."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from openpyxl import load_workbook

from access.scope import Scope
from areas.models import Area, Building, Household
from people.models import Person
from spreadsheets.layout import HELP_SHEET, SHEETS
from spreadsheets.tests.helpers import build_places, read_sheets, run_import, table_counts
from spreadsheets.workbook import workbook_export, workbook_template
from units.models import Unit


def column(sheet: list[list], header: str) -> list:
    index = sheet[0].index(header)
    return [row[index] for row in sheet[1:]]


@pytest.mark.django_db
def test_template_has_every_sheet_with_headers_frozen_row_widths_lists_and_help():
    # when the blank template is produced
    wb = load_workbook(BytesIO(workbook_template()))

    # then it holds the five sheets in order and a help sheet
    structure = [
        "党组织",
        "共建协议",
        "共建承诺",
        "联席会议",
        "联席会议成员",
        "街路",
        "楼院三长",
        "小区",
        "小区组织",
        "小区组织成员",
    ]
    assert wb.sheetnames == ["区域", "楼栋", "户", "单位", "人员", *structure, HELP_SHEET]
    for spec in SHEETS:
        ws = wb[spec.name]
        assert [c.value for c in ws[1]] == spec.headers
        assert ws.max_row == 1
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width == spec.columns[0].width
    # and the enumerations come with drop-down lists
    area_lists = [dv.formula1 for dv in wb["区域"].data_validations.dataValidation]
    assert area_lists == ['"区,街道,社区,片区,网格"']
    people_lists = {str(dv.sqref): dv.formula1 for dv in wb["人员"].data_validations.dataValidation}
    assert people_lists["C2:C20001"] == '"女,男"'
    assert '"是,否"' in people_lists.values()
    # and the help sheet explains each column
    help_rows = [[c.value for c in row] for row in wb[HELP_SHEET].iter_rows()]
    assert [None, "电话", None, "11 位手机号或带区号的固定电话，可留空"] in help_rows


@pytest.mark.django_db
def test_admin_export_contains_everything(town):
    # when the administrator exports
    sheets = read_sheets(workbook_export(scope=Scope.of(town.admin)))

    # then every row of every kind is there, parents before children
    codes = column(sheets["区域"], "代码")
    assert sorted(codes) == sorted(Area.objects.values_list("code", flat=True))
    assert codes.index("C1") < codes.index("Z1") < codes.index("G1Z")
    assert ["C1", "幸福社区", "社区", "S1", 5200] in sheets["区域"]
    assert ["B1A", "幸福1号楼", "G1A", "幸福路1号", 6, 1998, "否"] in sheets["楼栋"]
    assert ["B1A", "101", 89.5] in sheets["户"]
    assert ["PM1", "幸福物业", "物业服务企业", "C1", "C1、G1A", "0914-1234567"] in sheets["单位"]
    assert ["李建华", "13900001111", "男", 1955, "C1", "B1A", "101", "配偶", "否", "否", None] in sheets[
        "人员"
    ]
    assert ["何党员", "13800000007", None, None, "C1", None, None, None, None, "是", "PO_C1"] in sheets[
        "人员"
    ]
    assert len(sheets["人员"]) - 1 == Person.objects.count()


@pytest.mark.django_db
def test_community_staff_export_holds_only_their_community(town):
    # when community staff of C1 export
    sheets = read_sheets(workbook_export(scope=Scope.of(town.staff_c1)))

    # then only C1's subtree, buildings, households and people are in it
    assert sorted(column(sheets["区域"], "代码")) == ["C1", "G1A", "G1B", "G1Z", "Z1"]
    assert column(sheets["楼栋"], "代码") == ["B1A"]
    assert column(sheets["户"], "楼栋代码") == ["B1A", "B1A"]
    assert sorted(column(sheets["人员"], "姓名")) == ["何党员", "张秀英", "李建华"]
    # and they see their residents' phones in full (the scope lets community staff call them)
    assert "13812345678" in column(sheets["人员"], "电话")
    # and units serving the community (and the district department serving the whole district) are listed
    assert "PM2" not in column(sheets["单位"], "代码")


@pytest.mark.django_db
def test_the_people_sheet_writes_the_pipl_access_log_in_one_insert(town):
    """Every full phone and every home (building and door) the export puts in front of community staff is a row of
    the access log, written in one insert; the administrator reads them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.models import PersonalDataView
    from audit.testing import administrator_reads

    sheets = read_sheets(workbook_export(scope=Scope.of(town.staff_c1)))
    rows = list(PersonalDataView.objects.select_related("person"))
    people = sheets["人员"]
    header = people[0]
    housed = {r[0] for r in people[1:] if r[header.index("楼栋代码")]}
    phoned = {r[0] for r in people[1:] if r[header.index("电话")] and "*" not in str(r[header.index("电话")])}
    assert housed and phoned
    assert {r.person.name for r in rows if r.field == PersonalDataView.Field.ADDRESS} == housed
    assert {r.person.name for r in rows if r.field == PersonalDataView.Field.PHONE} == phoned
    assert all(r.actor == town.staff_c1 for r in rows)
    page, export = administrator_reads(town.admin, rows)
    assert len(export) == len(rows) + 1
    PersonalDataView.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        workbook_export(scope=Scope.of(town.staff_c1))
    inserts = [
        q for q in captured.captured_queries if "audit_personaldataview" in q["sql"] and "INSERT" in q["sql"]
    ]
    assert len(inserts) == 1 and PersonalDataView.objects.count() == len(rows)


@pytest.mark.django_db
def test_subdistrict_staff_export_masks_phones_the_scope_hides(town):
    # given subdistrict staff, who may see the people of S1 but not their phone numbers
    scope = Scope.of(town.staff_s1)
    assert not scope.can_see_phone(town.zhang)

    # when they export
    sheets = read_sheets(workbook_export(scope=scope))

    # then the people of S1 are there with masked phones, and nobody of S2
    phones = dict(zip(column(sheets["人员"], "姓名"), column(sheets["人员"], "电话"), strict=True))
    assert phones == {"张秀英": "138****5678", "李建华": "139****1111", "何党员": "138****0007"}


def snapshot() -> dict[str, list]:
    """Every row of the five kinds by its natural keys (no ids), to compare two databases."""
    return {
        "areas": sorted(
            (a.code, a.kind, a.name, a.parent.code if a.parent else "", a.population, a.depth)
            for a in Area.objects.select_related("parent")
        ),
        "buildings": sorted(
            (b.code, b.name, b.grid.code, b.address, b.floors, b.built_year, b.has_lift)
            for b in Building.objects.select_related("grid")
        ),
        "households": sorted(
            (h.building.code, h.number, h.floor_area) for h in Household.objects.select_related("building")
        ),
        "units": sorted(
            (u.code, u.kind, u.name, u.home_area.code, tuple(sorted(a.code for a in u.areas_served.all())))
            + (u.contact_phone,)
            for u in Unit.objects.select_related("home_area")
        ),
        "people": sorted(
            (
                p.name,
                p.phone,
                p.gender,
                p.birth_year or 0,
                p.community.code if p.community else "",
                p.is_party_member,
                tuple(
                    (m.household.building.code, m.household.number, m.relation, m.is_owner)
                    for m in p.memberships.all()
                ),
            )
            for p in Person.objects.select_related("community")
        ),
    }


class Rollback(Exception):
    pass


@pytest.mark.django_db
def test_round_trip_export_then_import_into_an_empty_database_gives_the_same_rows():
    # given a town that is exported and then rolled back, leaving the database empty
    admin = get_user_model().objects.create_superuser("root", password="x-test-password")
    with pytest.raises(Rollback), transaction.atomic():
        build_places(with_party_org=False)
        data = workbook_export(scope=Scope.of(admin))
        before = snapshot()
        raise Rollback
    assert table_counts()["area"] == 0 and table_counts()["person"] == 0

    # when the export is imported
    result = run_import(admin, data)

    # then every row comes back exactly as it was
    assert result.ok, result.errors
    assert result.created == {"区域": 10, "楼栋": 2, "户": 3, "单位": 3, "人员": 5}
    assert snapshot() == before


@pytest.mark.django_db
def test_reimporting_an_export_into_the_same_database_changes_nothing(town):
    # given the administrator's export of the town
    data = workbook_export(scope=Scope.of(town.admin))
    counts = table_counts()

    # when it is imported again
    result = run_import(town.admin, data)

    # then every row is recognised as already there and only the import's own audit row is added
    assert result.ok, result.errors
    assert sum(result.created.values()) == 0
    assert result.unchanged == {"区域": 10, "楼栋": 2, "户": 3, "单位": 3, "人员": 5, "党组织": 1}
    assert table_counts() == {**counts, "audit": counts["audit"] + 1}
