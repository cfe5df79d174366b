"""Checking the 单位 sheet: a unit's home area must be one the importer manages, its served areas ones they see."""

from __future__ import annotations

from spreadsheets import cells
from spreadsheets.layout import UNIT_KIND_LABELS, UNITS
from spreadsheets.plan import UnitRow
from spreadsheets.validate import EXISTS, OUT_OF_SCOPE, Validator, chunked_lookup
from units.models import Unit


def check_units(v: Validator) -> None:
    rows = v.parsed_rows(
        UNITS,
        {
            "code": lambda x: cells.code(x, required=True),
            "name": lambda x: cells.text(x, max_length=100, required=True),
            "kind": lambda x: cells.choice(x, UNIT_KIND_LABELS),
            "home_area": lambda x: cells.code(x, required=True),
            "areas_served": cells.code_list,
            "contact_phone": lambda x: cells.phone(x, allow_service_number=True),
        },
        UnitRow,
    )
    existing = chunked_lookup(Unit, "code", [r.code for r in rows], ("home_area",))
    seen: dict[str, int] = {}
    for row in rows:
        if row.code in seen:
            v.error(UNITS, row.row, "代码", f"代码“{row.code}”在本表第 {seen[row.code]} 行已出现")
            continue
        seen[row.code] = row.row
        unit = existing.get(row.code)
        if unit is not None:
            _compare_unit(v, unit, row)
            continue
        _check_unit(v, row)


def _compare_unit(v: Validator, unit: Unit, row: UnitRow) -> None:
    served = sorted(a.code for a in unit.areas_served.all())
    same = unit.pk in v.visible("unit") and (
        unit.kind,
        unit.name,
        unit.home_area.code,
        served,
        unit.contact_phone,
    ) == (
        row.kind,
        row.name,
        row.home_area,
        sorted(row.areas_served or [row.home_area]),
        row.contact_phone,
    )
    if same:
        v.plan.unchanged[UNITS] += 1
    else:
        v.error(UNITS, row.row, "代码", EXISTS)


def _check_unit(v: Validator, row: UnitRow) -> None:
    ok = v.resolve_area(UNITS, row.row, "所属区域代码", row.home_area)
    home = v.areas.get(row.home_area) if row.home_area not in v.new_areas else None
    if ok and home is not None and not v.scope.can_create_under(home):
        v.error(UNITS, row.row, "所属区域代码", f"“{home.name}”{OUT_OF_SCOPE}")
        ok = False
    for code in row.areas_served:
        if not v.resolve_area(UNITS, row.row, "服务区域代码", code):
            ok = False
            continue
        area = v.areas.get(code) if code not in v.new_areas else None
        if area is not None and area.pk not in v.visible("area"):
            v.error(UNITS, row.row, "服务区域代码", f"“{code}”{OUT_OF_SCOPE}")
            ok = False
    if ok:
        v.plan.units.append(row)
