"""What an import will write once every row has passed: plain rows keyed by codes, in writing order."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from spreadsheets.layout import AREAS, BUILDINGS, HOUSEHOLDS, PEOPLE, UNITS


@dataclass
class AreaRow:
    row: int
    code: str
    name: str
    kind: str
    parent: str
    population: int | None


@dataclass
class BuildingRow:
    row: int
    code: str
    name: str
    grid: str
    address: str
    floors: int | None
    built_year: int | None
    has_lift: bool


@dataclass
class HouseholdRow:
    row: int
    building: str
    number: str
    floor_area: Decimal


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    home_area: str
    areas_served: list[str]
    contact_phone: str


@dataclass
class PersonRow:
    row: int
    name: str
    phone: str
    gender: str
    birth_year: int | None
    community: str
    building: str
    number: str
    relation: str
    is_owner: bool
    is_party_member: bool
    party_org: str


@dataclass
class Plan:
    areas: list[AreaRow] = field(default_factory=list)
    buildings: list[BuildingRow] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    unchanged: dict[str, int] = field(
        default_factory=lambda: {AREAS: 0, BUILDINGS: 0, HOUSEHOLDS: 0, UNITS: 0, PEOPLE: 0}
    )

    def counts(self) -> dict[str, int]:
        return {
            AREAS: len(self.areas),
            BUILDINGS: len(self.buildings),
            HOUSEHOLDS: len(self.households),
            UNITS: len(self.units),
            PEOPLE: len(self.people),
        }
