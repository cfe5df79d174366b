"""Importing a workbook: read, validate every row, and only then write everything in one transaction.

The writes go through the register's own service functions (so every row gets its audit event), followed by
one audit event for the import as a whole. Any error, found while checking or while writing, leaves the
database exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction

from access.scope import Scope
from areas.models import Area, Building, Household
from areas.services import area_create, building_create, household_create
from audit.models import record
from people.services import household_member_add, person_create
from spreadsheets.layout import AREAS, BUILDINGS, HOUSEHOLDS, PEOPLE, UNITS
from spreadsheets.plan import Plan
from spreadsheets.reader import RowError, read_workbook
from spreadsheets.structure_import import Outcome, Writer, parse_structure
from spreadsheets.validate import Validator
from spreadsheets.validate_people import check_people
from spreadsheets.validate_units import check_units
from units.models import PartyOrg
from units.services import unit_create


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def summary_rows(self) -> list[tuple[str, int, int]]:
        """(sheet, created, skipped as unchanged) for every sheet, for the page."""
        return [(name, n, self.unchanged.get(name, 0)) for name, n in self.created.items()]


class _Refused(Exception):
    """Rows of the structure sheets that failed: the whole import is rolled back."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} row errors")
        self.errors = errors


class _WriteFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def workbook_import(*, actor: Any, scope: Scope, file: IO[bytes], filename: str = "") -> ImportResult:
    """Check the whole workbook; write it all (one transaction) or nothing, and say why row by row."""
    read = read_workbook(file)
    if read.errors:
        return ImportResult(errors=read.errors)
    validator = Validator(scope=scope, sheets=read.sheets)
    validator.check_areas()
    validator.check_buildings()
    validator.check_households()
    check_units(validator)
    check_people(validator)
    parsed = parse_structure(validator)
    if validator.errors:
        return ImportResult(errors=validator.errors)
    plan = validator.plan
    outcome = Outcome()
    try:
        with transaction.atomic():
            _write(
                actor=actor,
                plan=plan,
                structure=Writer(actor=actor, scope=scope, parsed=parsed, outcome=outcome),
            )
            if outcome.errors:
                raise _Refused(outcome.errors)
            counts = {**plan.counts(), **outcome.created}
            summary = "Excel 导入：" + "，".join(f"{name} {n}" for name, n in counts.items())
            record(
                actor=actor,
                action="import",
                summary=summary,
                created=counts,
                unchanged={**plan.unchanged, **outcome.unchanged},
                filename=filename[:200],
            )
    except _WriteFailed as exc:
        return ImportResult(errors=[exc.error])
    except _Refused as exc:
        return ImportResult(errors=exc.errors)
    return ImportResult(created=counts, unchanged={**plan.unchanged, **outcome.unchanged})


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return "与已有数据冲突（可能刚被别人录入），请重新导入"


def _write(*, actor: Any, plan: Plan, structure: Writer | None = None) -> None:
    areas: dict[str, Area] = {}
    buildings: dict[str, Building] = {}

    def area(code: str) -> Area:
        if code not in areas:
            areas[code] = Area.objects.get(code=code)
        return areas[code]

    def building(code: str) -> Building:
        if code not in buildings:
            buildings[code] = Building.objects.select_related("grid").get(code=code)
        return buildings[code]

    sheet, row_number = "", 0
    try:
        sheet = AREAS
        for a in plan.areas:
            row_number = a.row
            parent = area(a.parent) if a.parent else None
            areas[a.code] = area_create(
                actor=actor, kind=a.kind, code=a.code, name=a.name, parent=parent, population=a.population
            )
        sheet = BUILDINGS
        for b in plan.buildings:
            row_number = b.row
            buildings[b.code] = building_create(
                actor=actor,
                grid=area(b.grid),
                code=b.code,
                name=b.name,
                address=b.address,
                floors=b.floors,
                built_year=b.built_year,
                has_lift=b.has_lift,
            )
        sheet = HOUSEHOLDS
        households: dict[tuple[str, str], Household] = {}
        for h in plan.households:
            row_number = h.row
            households[(h.building, h.number)] = household_create(
                actor=actor, building=building(h.building), number=h.number, floor_area=h.floor_area
            )
        sheet = UNITS
        for u in plan.units:
            row_number = u.row
            unit_create(
                actor=actor,
                kind=u.kind,
                code=u.code,
                name=u.name,
                home_area=area(u.home_area),
                areas_served=[area(c) for c in u.areas_served],
                contact_phone=u.contact_phone,
            )
        if structure is not None:
            structure.party()  # people name their party organisation
        sheet = PEOPLE
        orgs = {
            o.code: o
            for o in PartyOrg.objects.filter(code__in={p.party_org for p in plan.people if p.party_org})
        }
        for p in plan.people:
            row_number = p.row
            person = person_create(
                actor=actor,
                name=p.name,
                phone=p.phone,
                gender=p.gender,
                birth_year=p.birth_year,
                community=area(p.community) if p.community else None,
                is_party_member=p.is_party_member,
                party_org=orgs.get(p.party_org) if p.party_org else None,
            )
            if p.building:
                key = (p.building, p.number)
                household = households.get(key) or Household.objects.get(
                    building=building(p.building), number=p.number
                )
                household_member_add(
                    actor=actor, person=person, household=household, relation=p.relation, is_owner=p.is_owner
                )
    except (ValidationError, DatabaseError, ObjectDoesNotExist) as exc:
        raise _WriteFailed(RowError(sheet, row_number, "", _message(exc))) from exc
    if structure is not None:
        structure.secretaries()
        structure.later()
