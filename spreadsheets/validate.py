"""Checking every row of a read workbook against the format, the database and the importer's scope.

Nothing is written here. The result is a ``Plan`` of new rows and a list of ``RowError``; the import writes
only when the list is empty. Codes already in the database are skipped when the row is identical to what
the importer may see, and reported as "代码已存在" otherwise: the import adds, it never changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from access.scope import Scope
from areas.models import Area, Building, Household
from spreadsheets import cells
from spreadsheets.cells import CellError
from spreadsheets.layout import (
    AREA_KIND_LABELS,
    AREA_KIND_ORDER,
    AREAS,
    BUILDINGS,
    HOUSEHOLDS,
    MAX_ERRORS,
    SHEET_BY_NAME,
    UNITS,
)
from spreadsheets.plan import AreaRow, BuildingRow, HouseholdRow, Plan
from spreadsheets.reader import RowError, SheetRows

EXISTS = "代码已存在（导入只新增；已有数据请在系统中修改）"
OUT_OF_SCOPE = "不在你的管辖范围内"
CHUNK = 2000
R = TypeVar("R")


def chunked_lookup(model: Any, field: str, keys: Iterable[str], related: tuple[str, ...] = ()) -> dict:
    wanted = sorted({k for k in keys if k})
    found: dict = {}
    for start in range(0, len(wanted), CHUNK):
        qs = model.objects.filter(**{f"{field}__in": wanted[start : start + CHUNK]})
        if related:
            qs = qs.select_related(*related)
        found.update({getattr(obj, field): obj for obj in qs})
    return found


def raw_codes(sheet: SheetRows | None, *keys: str) -> list[str]:
    if sheet is None:
        return []
    out = []
    for _, record in sheet.rows:
        for key in keys:
            value = record.get(key)
            if not cells.is_blank(value):
                out += [str(v) for v in _split(value)]
    return out


def _split(value: Any) -> list[str]:
    try:
        return cells.code_list(value)
    except CellError:
        return []


class Validator:
    def __init__(self, *, scope: Scope, sheets: dict[str, SheetRows]) -> None:
        self.scope = scope
        self.sheets = sheets
        self.errors: list[RowError] = []
        self.plan = Plan()
        self.new_areas: dict[str, AreaRow] = {}
        self.new_buildings: dict[str, BuildingRow] = {}
        self.new_households: set[tuple[str, str]] = set()
        self.broken: dict[str, set[str]] = {AREAS: set(), BUILDINGS: set(), HOUSEHOLDS: set()}
        area_codes = raw_codes(sheets.get(AREAS), "code", "parent")
        area_codes += raw_codes(sheets.get(BUILDINGS), "grid")
        area_codes += raw_codes(sheets.get(UNITS), "home_area", "areas_served")
        area_codes += raw_codes(sheets.get("人员"), "community")
        self.areas: dict[str, Area] = chunked_lookup(Area, "code", area_codes, ("parent",))
        building_codes = raw_codes(sheets.get(BUILDINGS), "code")
        building_codes += raw_codes(sheets.get(HOUSEHOLDS), "building")
        building_codes += raw_codes(sheets.get("人员"), "building")
        self.buildings: dict[str, Building] = chunked_lookup(Building, "code", building_codes, ("grid",))
        # The 党组织 sheet's codes: people may name them (structure_import writes them before the people).
        self.new_party_orgs: set[str] = set(raw_codes(sheets.get("党组织"), "code"))
        self._visible: dict[str, set[int]] = {}
        self._communities: dict[int, Area | None] = {}

    # ---- reporting ----------------------------------------------------------------------------------------
    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(sheet, row, column, message))

    def parse(
        self, sheet: str, row: int, record: dict[str, Any], parsers: dict[str, Callable[[Any], Any]]
    ) -> dict[str, Any] | None:
        """Each cell of the row through its parser; None (with the errors reported) if any cell is bad."""
        headers = {c.key: c.header for c in SHEET_BY_NAME[sheet].columns}
        values: dict[str, Any] = {}
        ok = True
        for key, parse in parsers.items():
            try:
                values[key] = parse(record[key])
            except CellError as exc:
                self.error(sheet, row, headers[key], exc.message)
                ok = False
        return values if ok else None

    def parsed_rows(
        self, sheet: str, parsers: dict[str, Callable[[Any], Any]], make: Callable[..., R]
    ) -> list[R]:
        """The sheet's rows whose every cell parses, each made into its plan row (``make(row=number, **values)``);
        none where the file has no such sheet."""
        found = self.sheets.get(sheet)
        rows: list[R] = []
        for number, r in found.rows if found is not None else ():
            values = self.parse(sheet, number, r, parsers)
            if values is not None:
                rows.append(make(row=number, **values))
        return rows

    def visible(self, kind: str) -> set[int]:
        """Ids the importer may see, to decide whether an existing row may be compared with the file's."""
        if kind not in self._visible:
            qs = {
                "area": self.scope.areas(),
                "building": self.scope.buildings(),
                "unit": self.scope.units(),
            }[kind]
            self._visible[kind] = set(qs.values_list("pk", flat=True))
        return self._visible[kind]

    # ---- area references ----------------------------------------------------------------------------------
    def area_kind(self, code: str) -> str | None:
        if code in self.new_areas:
            return self.new_areas[code].kind
        area = self.areas.get(code)
        return area.kind if area else None

    def community_of(self, code: str) -> str | None:
        """The code of the community an area (new or existing) lies in, or None above community level."""
        for _ in range(10):
            if code in self.new_areas:
                row = self.new_areas[code]
                if row.kind == Area.Kind.COMMUNITY:
                    return code
                code = row.parent
                continue
            area = self.areas.get(code)
            if area is None:
                return None
            if area.pk not in self._communities:
                self._communities[area.pk] = area.ancestor_of_kind(Area.Kind.COMMUNITY)
            community = self._communities[area.pk]
            if community is not None:
                self.areas.setdefault(community.code, community)
            return community.code if community else None
        return None

    def resolve_area(
        self, sheet: str, row: int, column: str, code: str, kinds: tuple[str, ...] | None = None
    ) -> bool:
        """Report an unknown code or one of the wrong level; True if the reference is usable."""
        if code in self.broken[AREAS]:
            return False  # the row defining it already has an error
        kind = self.area_kind(code)
        if kind is None:
            self.error(sheet, row, column, f"区域代码“{code}”不存在（本文件和系统中都没有）")
            return False
        if kinds is not None and kind not in kinds:
            wanted = "、".join(str(Area.Kind(k).label) for k in kinds)
            self.error(sheet, row, column, f"“{code}”是{Area.Kind(kind).label}，这里须是{wanted}")
            return False
        return True

    # ---- 区域 ----------------------------------------------------------------------------------------------
    def check_areas(self) -> None:
        sheet = self.sheets.get(AREAS)
        if sheet is None:
            return
        parsed: list[AreaRow] = []
        seen: dict[str, int] = {}
        for number, r in sheet.rows:
            v = self.parse(
                AREAS,
                number,
                r,
                {
                    "code": lambda v: cells.code(v, required=True),
                    "name": lambda v: cells.text(v, max_length=100, required=True),
                    "kind": lambda v: cells.choice(v, AREA_KIND_LABELS),
                    "parent": lambda v: cells.code(v),
                    "population": lambda v: cells.integer(v, low=0, high=50_000_000),
                },
            )
            if v is None:
                self._mark_broken(AREAS, r.get("code"))
                continue
            if v["code"] in seen:
                self.error(AREAS, number, "代码", f"代码“{v['code']}”在本表第 {seen[v['code']]} 行已出现")
                continue
            seen[v["code"]] = number
            parsed.append(AreaRow(row=number, **v))
        parsed.sort(key=lambda a: (AREA_KIND_ORDER.index(a.kind), a.row))
        for area in parsed:
            self._check_area(area)

    def _mark_broken(self, sheet: str, value: Any) -> None:
        try:
            code = cells.code(value)
        except CellError:
            return
        if code:
            self.broken[sheet].add(code)

    def _check_area(self, row: AreaRow) -> None:
        existing = self.areas.get(row.code)
        if existing is not None:
            same = existing.pk in self.visible("area") and (
                existing.kind,
                existing.name,
                existing.parent.code if existing.parent else "",
                existing.population,
            ) == (row.kind, row.name, row.parent, row.population)
            if same:
                self.plan.unchanged[AREAS] += 1
            else:
                self.error(AREAS, row.row, "代码", EXISTS)
            return
        self.new_areas[row.code] = row
        allowed = Area.ALLOWED_PARENTS[row.kind]
        if not row.parent:
            if None not in allowed:
                self.error(AREAS, row.row, "上级代码", f"{Area.Kind(row.kind).label}必须填写上级代码")
            elif not self.scope.can_create_under(None):
                self.error(AREAS, row.row, "上级代码", "只有系统管理员可以新建顶层的区")
            else:
                self.plan.areas.append(row)
            return
        if None in allowed:
            self.error(AREAS, row.row, "上级代码", "区是顶层区域，上级代码应留空")
            return
        kinds = tuple(k for k in allowed if k is not None)
        if not self.resolve_area(AREAS, row.row, "上级代码", row.parent, kinds):
            self.broken[AREAS].add(row.code)
            return
        parent = self.areas.get(row.parent) if row.parent not in self.new_areas else None
        if parent is not None and not self.scope.can_create_under(parent):
            self.error(AREAS, row.row, "上级代码", f"“{parent.name}”{OUT_OF_SCOPE}，不能在其下新建区域")
            return
        self.plan.areas.append(row)

    # ---- 楼栋 ----------------------------------------------------------------------------------------------
    def check_buildings(self) -> None:
        sheet = self.sheets.get(BUILDINGS)
        if sheet is None:
            return
        seen: dict[str, int] = {}
        for number, r in sheet.rows:
            v = self.parse(
                BUILDINGS,
                number,
                r,
                {
                    "code": lambda v: cells.code(v, required=True),
                    "name": lambda v: cells.text(v, max_length=100, required=True),
                    "grid": lambda v: cells.code(v, required=True),
                    "address": lambda v: cells.text(v, max_length=200),
                    "floors": lambda v: cells.integer(v, low=1, high=200),
                    "built_year": lambda v: cells.integer(v, low=1800, high=2100),
                    "has_lift": lambda v: cells.boolean(v),
                },
            )
            if v is None:
                self._mark_broken(BUILDINGS, r.get("code"))
                continue
            row = BuildingRow(row=number, **v)
            if row.code in seen:
                self.error(BUILDINGS, number, "代码", f"代码“{row.code}”在本表第 {seen[row.code]} 行已出现")
                continue
            seen[row.code] = number
            self._check_building(row)

    def _check_building(self, row: BuildingRow) -> None:
        existing = self.buildings.get(row.code)
        if existing is not None:
            same = existing.pk in self.visible("building") and (
                existing.name,
                existing.grid.code,
                existing.address,
                existing.floors,
                existing.built_year,
                existing.has_lift,
            ) == (row.name, row.grid, row.address, row.floors, row.built_year, row.has_lift)
            if same:
                self.plan.unchanged[BUILDINGS] += 1
            else:
                self.error(BUILDINGS, row.row, "代码", EXISTS)
            return
        self.new_buildings[row.code] = row
        if not self.resolve_area(BUILDINGS, row.row, "网格代码", row.grid, (Area.Kind.GRID,)):
            self.broken[BUILDINGS].add(row.code)
            return
        grid = self.areas.get(row.grid) if row.grid not in self.new_areas else None
        if grid is not None and not self.scope.can_change_area(grid):
            self.error(BUILDINGS, row.row, "网格代码", f"“{grid.name}”{OUT_OF_SCOPE}")
            return
        self.plan.buildings.append(row)

    # ---- 户 ------------------------------------------------------------------------------------------------
    def resolve_building(self, sheet: str, row: int, column: str, code: str) -> bool:
        if code in self.broken[BUILDINGS]:
            return False
        if code not in self.new_buildings and code not in self.buildings:
            self.error(sheet, row, column, f"楼栋代码“{code}”不存在（本文件和系统中都没有）")
            return False
        return True

    def check_households(self) -> None:
        rows = self.parsed_rows(
            HOUSEHOLDS,
            {
                "building": lambda v: cells.code(v, required=True),
                "number": lambda v: cells.text(v, max_length=40, required=True),
                "floor_area": lambda v: cells.floor_area(v),
            },
            HouseholdRow,
        )
        existing = self.existing_households(r.building for r in rows)
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            key = (row.building, row.number)
            if key in seen:
                self.error(
                    HOUSEHOLDS, row.row, "房号", f"该楼栋的房号“{row.number}”在本表第 {seen[key]} 行已出现"
                )
                continue
            seen[key] = row.row
            if not self.resolve_building(HOUSEHOLDS, row.row, "楼栋代码", row.building):
                continue
            household = existing.get(key)
            if household is not None:
                if (
                    household.building_id in self.visible("building")
                    and household.floor_area == row.floor_area
                ):
                    self.plan.unchanged[HOUSEHOLDS] += 1
                else:
                    self.error(HOUSEHOLDS, row.row, "房号", f"楼栋“{row.building}”已有房号“{row.number}”")
                continue
            self.new_households.add(key)
            building = self.buildings.get(row.building) if row.building not in self.new_buildings else None
            if building is not None and not self.scope.can_change_building(building):
                self.error(HOUSEHOLDS, row.row, "楼栋代码", f"“{building.name}”{OUT_OF_SCOPE}")
                continue
            self.plan.households.append(row)

    def existing_households(self, building_codes: Iterable[str]) -> dict[tuple[str, str], Household]:
        """The households already in the named buildings, by (building code, number)."""
        ids = sorted({self.buildings[c].pk for c in building_codes if c in self.buildings})
        found: dict[tuple[str, str], Household] = {}
        for start in range(0, len(ids), CHUNK):
            qs = Household.objects.filter(building_id__in=ids[start : start + CHUNK]).select_related(
                "building__grid"
            )
            found.update({(h.building.code, h.number): h for h in qs})
        return found
