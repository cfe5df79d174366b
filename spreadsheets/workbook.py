"""Writing the workbook: the blank template and the export of what a user may see, in the same format."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from access.scope import Scope
from audit.access_log import Field, one_insert, reveal_many
from people.models import HouseholdMember
from spreadsheets import safe
from spreadsheets.layout import HELP_SHEET, MAX_ROWS, NO, SHEETS, YES, SheetSpec
from spreadsheets.structure_export import structure_rows

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="C62F2F")


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _add_sheet(wb: Workbook, spec: SheetSpec, rows: Iterable[Sequence[Any]]) -> None:
    ws: Worksheet = wb.create_sheet(spec.name)
    ws.append(spec.headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A2"
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="无效的值",
                error=f"「{column.header}」请从列表中选择：{'、'.join(column.choices)}",
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
    for row in rows:
        # Codes, phones and room numbers stay text, so Excel keeps leading zeros.
        ws.append(safe.clean_row("" if v is None else v for v in row))


def _add_help(wb: Workbook) -> None:
    ws: Worksheet = wb.create_sheet(HELP_SHEET)
    ws.append(["工作表", "列", "必填", "说明"])
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCD", (10, 16, 8, 70), strict=True):
        ws.column_dimensions[letter].width = width
    for spec in SHEETS:
        ws.append([spec.name, "", "", spec.help])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for column in spec.columns:
            ws.append(["", column.header, YES if column.required else "", column.help])
    ws.append([])
    notes = [
        "第一行是列名，请勿修改；数据从第二行开始。不需要的工作表可以删除，但工作表名称不能改。",
        "导入只新增数据：代码已存在且内容完全相同的行会被跳过，内容不同的行报“代码已存在”。",
        f"一次最多导入 {MAX_ROWS} 行、文件不超过 5 MB。任何一行有错，整个文件都不会写入。",
        "导出时看不到完整号码的电话显示为 138****5678，这样的号码不能再导入，请改为完整号码或留空。",
    ]
    for note in notes:
        ws.append(["", "", "", note])


def _save(wb: Workbook) -> bytes:
    buffer = BytesIO()
    safe.save(wb, buffer)
    return buffer.getvalue()


def _new_workbook() -> Workbook:
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    return wb


def workbook_template() -> bytes:
    """The blank workbook: every sheet with its headers, validation lists and the 说明 sheet."""
    wb = _new_workbook()
    for spec in SHEETS:
        _add_sheet(wb, spec, [])
    _add_help(wb)
    return _save(wb)


def export_rows(*, scope: Scope) -> dict[str, list[list[Any]]]:
    """The rows of each sheet that the scope may see, in the workbook's column order."""
    areas = scope.areas().select_related("parent").order_by("depth", "path")
    buildings = scope.buildings().select_related("grid").order_by("code")
    households = scope.households().select_related("building").order_by("building__code", "number")
    units = scope.units().select_related("home_area").prefetch_related("areas_served").order_by("code")
    memberships = HouseholdMember.objects.select_related("household__building").order_by("id")
    persons = (
        scope.persons()
        .select_related("community", "party_org")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .order_by("id")
    )
    people_rows = []
    housed = []
    with one_insert():  # every phone and home shown: one insert into the PIPL access log
        for p in persons:
            first = next(iter(p.memberships.all()), None)
            if first is not None:
                housed.append(p)
            people_rows.append(
                [
                    p.name,
                    scope.phone_of(p),
                    p.get_gender_display() if p.gender else "",
                    p.birth_year,
                    p.community.code if p.community else "",
                    first.household.building.code if first else "",
                    first.household.number if first else "",
                    first.get_relation_display() if first else "",
                    _yes_no(first.is_owner) if first else "",
                    _yes_no(p.is_party_member),
                    p.party_org.code if p.party_org else "",
                ]
            )
        reveal_many(user=scope.user, people=housed, field=Field.ADDRESS)  # their building and door
    return {
        "区域": [
            [a.code, a.name, a.get_kind_display(), a.parent.code if a.parent else "", a.population]
            for a in areas
        ],
        "楼栋": [
            [b.code, b.name, b.grid.code, b.address, b.floors, b.built_year, _yes_no(b.has_lift)]
            for b in buildings
        ],
        "户": [[h.building.code, h.number, h.floor_area] for h in households],
        "单位": [
            [
                u.code,
                u.name,
                u.get_kind_display(),
                u.home_area.code,
                "、".join(sorted(a.code for a in u.areas_served.all())),
                u.contact_phone,
            ]
            for u in units
        ],
        "人员": people_rows,
        **structure_rows(scope),
    }


def workbook_export(*, scope: Scope) -> bytes:
    """Everything the scope may see, as a workbook that can be imported again."""
    rows = export_rows(scope=scope)
    wb = _new_workbook()
    for spec in SHEETS:
        _add_sheet(wb, spec, rows[spec.name])
    _add_help(wb)
    return _save(wb)
