"""Importing the structure sheets (``structure_layout``): every cell is parsed with the other sheets' checks; then,
inside the import's one transaction and after the register's rows, each row is written through its app's service
(which checks the right and the references, and writes the audit row) in a savepoint of its own. A row that fails
becomes a row error and the rows after it are still tried, so the file's every problem is reported at once; any
error rolls the whole import back, so the database is left exactly as it was.

Like the other sheets, the import only adds: a row whose key is already in the database (a party organisation's
code, an agreement's unit + community + name …) is skipped when identical and refused ("已存在") otherwise.
The party organisations are written before the 人员 sheet (people name their organisation) and get their
secretaries after it (a secretary is a person).

The row loop and the reference look-ups are in ``structure_rows``; the sheets' writers in ``structure_party``
(党组织, 共建), ``structure_local`` (联席会议, 街路, 楼院三长) and ``structure_compounds`` (小区).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from spreadsheets import cells
from spreadsheets.cells import CellError
from spreadsheets.structure_compounds import CompoundWriter
from spreadsheets.structure_layout import (
    AGREEMENTS,
    BODIES,
    BODY_KIND_LABELS,
    COMPOUND_KIND_LABELS,
    COMPOUNDS,
    COUNCIL_KIND_LABELS,
    COUNCILS,
    MEMBER_POST_LABELS,
    MEMBERS,
    PARTY,
    PARTY_KIND_LABELS,
    PLEDGE_KIND_LABELS,
    PLEDGES,
    POST_LABELS,
    SEATS,
    SPECS,
    STEWARDS,
    STREETS,
)
from spreadsheets.structure_local import LocalWriter
from spreadsheets.structure_party import PartyWriter
from spreadsheets.structure_rows import Outcome, Parsed, RowProblem, RowWriter
from spreadsheets.validate import Validator

__all__ = [
    "LATER",
    "PARSERS",
    "SAME",
    "Outcome",
    "Parsed",
    "RowProblem",
    "RowWriter",
    "Writer",
    "day",
    "parse_structure",
    "required_day",
    "yuan",
]

LATER = (
    AGREEMENTS,
    PLEDGES,
    COUNCILS,
    SEATS,
    STREETS,
    STEWARDS,
    COMPOUNDS,
    BODIES,
    MEMBERS,
)  # written after the 人员 sheet, in this order
SAME = "与系统中已有的数据相同"


def day(value: Any) -> date | None:
    if cells.is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"“{text}”不是日期，请写成 2026-01-01")


def required_day(value: Any) -> date:
    found = day(value)
    if found is None:
        raise CellError("必填，不能为空")
    return found


def yuan(value: Any) -> int:
    if cells.is_blank(value):
        return 0
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{value}”不是金额") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise CellError("金额须是非负数，最多两位小数")
    return int(amount * 100)


def _text(n: int, required: bool = False) -> Callable[[Any], str]:
    return lambda x: cells.text(x, max_length=n, required=required)


def _code(required: bool = False) -> Callable[[Any], str]:
    return lambda x: cells.code(x, required=required)


def _count(high: int) -> Callable[[Any], int]:
    return lambda x: cells.integer(x, low=0, high=high) or 0


PERSON = {"name": _text(50), "phone": lambda x: cells.text(x, max_length=20)}
PARSERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    PARTY: {
        "code": _code(True),
        "name": _text(100, True),
        "kind": lambda x: cells.choice(x, PARTY_KIND_LABELS),
        "parent": _code(),
        "area": _code(),
        "unit": _code(),
        "building": _code(),
        "secretary_name": PERSON["name"],
        "secretary_phone": PERSON["phone"],
    },
    AGREEMENTS: {
        "unit": _code(True),
        "community": _code(True),
        "title": _text(120, True),
        "starts_on": required_day,
        "ends_on": required_day,
        "party_org": _code(),
    },
    PLEDGES: {
        "unit": _code(True),
        "community": _code(True),
        "title": _text(120, True),
        "kind": lambda x: cells.choice(x, PLEDGE_KIND_LABELS),
        "description": _text(200, True),
        "amount": yuan,
        "people": _count(10_000),
        "hours": _count(1_000_000),
    },
    COUNCILS: {
        "area": _code(True),
        "name": _text(100, True),
        "kind": lambda x: cells.choice(x, COUNCIL_KIND_LABELS),
        "convenor_name": PERSON["name"],
        "convenor_phone": PERSON["phone"],
        "charter": _text(4000),
    },
    SEATS: {
        "area": _code(True),
        "council": _text(100, True),
        "unit": _code(),
        "person_name": PERSON["name"],
        "person_phone": PERSON["phone"],
        "post": _text(40),
    },
    STREETS: {
        "community": _code(True),
        "name": _text(60, True),
        "section": _text(100),
        "grids": cells.code_list,
        "head_name": PERSON["name"],
        "head_phone": PERSON["phone"],
        "lead_unit": _code(),
        "units": cells.code_list,
        "categories": cells.code_list,
    },
    STEWARDS: {
        "letter_no": _text(40),
        "building": _code(True),
        "post": lambda x: cells.choice(x, POST_LABELS),
        "entrance": _text(20),
        "person_name": _text(50, True),
        "person_phone": PERSON["phone"],
        "households": lambda x: [p for p in re.split(r"[,，、;；\s]+", cells.text(x, max_length=2000)) if p],
        "appointed_on": required_day,
        "term_ends_on": required_day,
    },
    COMPOUNDS: {
        "code": _code(True),
        "community": _code(True),
        "name": _text(100, True),
        "kind": lambda x: cells.choice(x, COMPOUND_KIND_LABELS),
        "address": _text(200),
        "buildings": cells.code_list,
    },
    BODIES: {
        "compound": _code(True),
        "kind": lambda x: cells.choice(x, BODY_KIND_LABELS),
        "firm": _code(),
        "party_org": _code(),
        "starts_on": required_day,
        "ends_on": required_day,
    },
    MEMBERS: {
        "compound": _code(True),
        "kind": lambda x: cells.choice(x, BODY_KIND_LABELS),
        "person_name": _text(50, True),
        "person_phone": PERSON["phone"],
        "post": lambda x: cells.choice(x, MEMBER_POST_LABELS),
        "starts_on": day,
        "ends_on": day,
    },
}


def parse_structure(v: Validator) -> Parsed:
    """Each structure sheet's cells through their parsers (errors reported on the validator)."""
    parsed = Parsed()
    for spec in SPECS:
        sheet = v.sheets.get(spec.name)
        if sheet is None:
            continue
        rows = []
        for number, record in sheet.rows:
            values = v.parse(spec.name, number, record, PARSERS[spec.name])
            if values is not None:
                rows.append((number, values))
        parsed.rows[spec.name] = rows
    return parsed


class Writer(PartyWriter, LocalWriter, CompoundWriter):
    """All the structure sheets' writers: ``party`` before the 人员 sheet, ``secretaries`` and ``later`` after it."""

    def later(self) -> None:
        self.agreements()
        self.pledges()
        self.councils()
        self.seats()
        self.streets()
        self.stewards()
        self.compounds()
        self.bodies()
        self.members()
