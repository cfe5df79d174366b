"""Importing: everything is checked first, every error is reported by sheet, row and column, and on any error
nothing at all is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from areas.models import Area, Building, Household
from audit.models import AuditEvent
from people.models import HouseholdMember, Person
from spreadsheets.layout import MAX_FILE_BYTES, MAX_ROWS
from spreadsheets.tests.helpers import errors_of, make_workbook, run_import, table_counts
from units.models import Unit

NEW_GRID = [["G1C", "幸福三网格", "网格", "C1", None]]
NEW_BUILDING = [["B1C", "幸福3号楼", "G1C", "幸福路3号", 7, 2005, "是"]]


@pytest.mark.django_db
def test_community_staff_import_a_new_grid_with_building_households_unit_and_people(town):
    # given a workbook whose rows refer to rows earlier in the file and to existing areas
    data = make_workbook(
        {
            "区域": NEW_GRID,
            "楼栋": NEW_BUILDING,
            "户": [["B1C", 301, 88.8], ["B1A", "103", "66"]],
            "单位": [["SO1", "幸福志愿者协会", "社会组织", "C1", "G1C、G1A", 12345]],
            "人员": [
                ["孙大妈", 13811112222, "女", 1950, None, "B1C", "301", "户主", "是", "否", None],
                ["孙大爷", "", "男", "1948", "C1", "B1C", "301", "配偶", "", "是", "PO_C1"],
                ["钱师傅", "0914-7654321", None, None, "C1", None, None, None, None, None, None],
            ],
        }
    )
    audit_before = AuditEvent.objects.count()

    # when community staff of C1 import it
    result = run_import(town.staff_c1, data)

    # then everything is written
    assert result.ok, result.errors
    assert result.created == {"区域": 1, "楼栋": 1, "户": 2, "单位": 1, "人员": 3}
    grid = Area.objects.get(code="G1C")
    assert (grid.kind, grid.parent, grid.path) == (Area.Kind.GRID, town.c1, f"{town.c1.path}{grid.pk}/")
    building = Building.objects.get(code="B1C")
    assert (building.grid, building.floors, building.built_year, building.has_lift) == (grid, 7, 2005, True)
    assert Household.objects.get(building=building, number="301").floor_area == Decimal("88.80")
    assert Household.objects.get(building=town.b1a, number="103").floor_area == Decimal("66.00")
    unit = Unit.objects.get(code="SO1")
    assert (unit.kind, unit.contact_phone) == (Unit.Kind.SOCIAL_ORG, "12345")
    assert sorted(unit.areas_served.values_list("code", flat=True)) == ["G1A", "G1C"]
    sun = Person.objects.get(name="孙大妈")
    assert (sun.phone, sun.gender, sun.birth_year, sun.community) == ("13811112222", "F", 1950, town.c1)
    member = HouseholdMember.objects.get(person=sun)
    assert (member.household.number, member.relation, member.is_owner) == ("301", "head", True)
    husband = Person.objects.get(name="孙大爷")
    assert (husband.is_party_member, husband.party_org) == (True, town.po_c1)
    assert HouseholdMember.objects.get(person=husband).relation == HouseholdMember.Relation.SPOUSE
    assert Person.objects.get(name="钱师傅").memberships.count() == 0
    # and every row has its audit event, plus one for the import as a whole
    assert AuditEvent.objects.count() == audit_before + 8 + 2 + 1
    summary = AuditEvent.objects.get(action="import")
    assert summary.actor == town.staff_c1
    assert summary.data["created"] == result.created
    assert "区域 1" in summary.summary


def broken_workbooks() -> list:
    """(id, workbook bytes, the (sheet, row, column) errors expected among those reported)."""
    return [
        (
            "missing columns",
            make_workbook({"楼栋": [["B9", "楼", "G1A"]]}, headers={"楼栋": ["代码", "名称", "网格代码"]}),
            [("楼栋", 1, "地址"), ("楼栋", 1, "层数"), ("楼栋", 1, "建成年份"), ("楼栋", 1, "有电梯")],
        ),
        (
            "unknown parent",
            make_workbook({"区域": [["G9", "九网格", "网格", "NOPE", None]]}),
            [("区域", 2, "上级代码")],
        ),
        (
            "parent of the wrong level",
            make_workbook(
                {"区域": [["G9", "九网格", "网格", "S1", None], ["C9", "九社区", "社区", "C1", None]]}
            ),
            [("区域", 2, "上级代码"), ("区域", 3, "上级代码")],
        ),
        (
            "duplicate code in the file",
            make_workbook({"区域": [NEW_GRID[0], ["G1C", "又一个", "网格", "C1", None]]}),
            [("区域", 3, "代码")],
        ),
        (
            "code already in the database with other content",
            make_workbook(
                {
                    "区域": [["G1A", "改了名", "网格", "C1", None]],
                    "单位": [["PM1", "x", "物业服务企业", "C1", "", ""]],
                }
            ),
            [("区域", 2, "代码"), ("单位", 2, "代码")],
        ),
        (
            "bad phone and other bad cells",
            make_workbook(
                {
                    "人员": [
                        ["甲", "123", None, None, "C1", None, None, None, None, None, None],
                        ["乙", "13812345678", "不详", "去年", "C1", None, None, None, "也许", None, None],
                        ["", "13812345679", None, None, "C1", None, None, None, None, None, None],
                        ["丙", "138****5678", None, None, "C1", None, None, None, None, None, None],
                    ]
                }
            ),
            [
                ("人员", 2, "电话"),
                ("人员", 3, "性别"),
                ("人员", 3, "出生年份"),
                ("人员", 3, "业主"),
                ("人员", 4, "姓名"),
                ("人员", 5, "电话"),
            ],
        ),
        (
            "building, household and person references",
            make_workbook(
                {
                    "楼栋": [["B9", "九号楼", "C1", "", None, None, None]],
                    "户": [["NOB", "101", 50], ["B1A", "101", 70], ["B1A", "105", -3]],
                    "人员": [["丁", "", None, None, None, "B1A", "999", None, None, None, None]],
                }
            ),
            [
                ("楼栋", 2, "网格代码"),
                ("户", 2, "楼栋代码"),
                ("户", 3, "房号"),
                ("户", 4, "建筑面积"),
                ("人员", 2, "房号"),
            ],
        ),
        (
            "party org without party membership",
            make_workbook({"人员": [["戊", "", None, None, "C1", None, None, None, None, "否", "PO_C1"]]}),
            [("人员", 2, "党组织代码")],
        ),
        ("empty sheets", make_workbook({"区域": [], "人员": []}), [("", None, "")]),
        ("no known sheet", make_workbook({"Sheet1": [[1]]}, headers={"Sheet1": ["a"]}), [("", None, "")]),
        ("empty file", b"", [("", None, "")]),
        ("text renamed .xlsx", "代码,名称\nG9,九网格\n".encode(), [("", None, "")]),
        ("old .xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, [("", None, "")]),
        ("a zip that is not a workbook", _zip_bytes(), [("", None, "")]),
        ("too large", b"PK" + b"\0" * MAX_FILE_BYTES, [("", None, "")]),
        (
            "too many rows",
            make_workbook({"户": [["B1A", f"R{i}", 10] for i in range(MAX_ROWS + 1)]}),
            [("户", MAX_ROWS + 2, "")],
        ),
    ]


def _zip_bytes() -> bytes:
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"), [c[1:] for c in broken_workbooks()], ids=[c[0] for c in broken_workbooks()]
)
def test_broken_workbook_reports_row_level_errors_and_writes_nothing(town, data, expected):
    # given a workbook that also holds valid rows of other kinds
    before = table_counts()

    # when the administrator imports it
    result = run_import(town.admin, data)

    # then it fails with the expected errors, each with a message
    assert not result.ok
    for where in expected:
        assert where in errors_of(result), (where, result.errors)
    assert all(e.message for e in result.errors)
    # and no table changed at all
    assert table_counts() == before


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_none_of_them(town):
    # given good areas, buildings and households and one bad phone in the last sheet
    data = make_workbook(
        {
            "区域": NEW_GRID,
            "楼栋": NEW_BUILDING,
            "户": [["B1C", "101", 70]],
            "人员": [["孙大妈", "1381111222", None, None, None, "B1C", "101", None, None, None, None]],
        }
    )
    before = table_counts()

    # when it is imported
    result = run_import(town.admin, data)

    # then the phone is reported with its sheet, row and column, and nothing else was written
    assert errors_of(result) == [("人员", 2, "电话")]
    assert str(result.errors[0]).startswith("人员 第 2 行 「电话」：请输入 11 位手机号")
    assert table_counts() == before
    assert not Area.objects.filter(code="G1C").exists()


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(town, monkeypatch):
    # given a workbook that passes the checks, and a person service that fails on the last row
    import spreadsheets.services as services

    def failing_person_create(**kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError("模拟的写入失败")

    monkeypatch.setattr(services, "person_create", failing_person_create)
    data = make_workbook(
        {"区域": NEW_GRID, "人员": [["孙大妈", "", None, None, "C1", None, None, None, None, None, None]]}
    )
    before = table_counts()

    # when it is imported
    result = run_import(town.admin, data)

    # then the row is reported and the grid written before it is gone again
    assert [(e.sheet, e.row, e.message) for e in result.errors] == [("人员", 2, "模拟的写入失败")]
    assert table_counts() == before


@pytest.mark.django_db
def test_columns_may_come_in_any_order_and_extra_columns_are_ignored(town):
    # given a household sheet with its columns shuffled and a remark column added
    data = make_workbook(
        {"户": [["备注随便写", 55.5, "108", "B1A"]]}, headers={"户": ["备注", "建筑面积", "房号", "楼栋代码"]}
    )

    # when it is imported
    result = run_import(town.staff_c1, data)

    # then the household is created from the named columns
    assert result.ok, result.errors
    assert Household.objects.get(building=town.b1a, number="108").floor_area == Decimal("55.50")
