"""Figures of the other ledgers (disputes, activities, bookings, visits, 评选 …) on the dashboards and in the
monthly report, added by each app through ``linli.sections`` without editing evaluation.

An app's ``sections.py`` may define ``REPORT``: functions ``fn(area, start, end) -> LedgerTable | None`` over the
aware datetimes [start, end) of the period. Each table is shown on the area's dashboard (with its links to the
records), as a section of the monthly PDF and as a sheet of its Excel file. Every rate is a ``Rate``: it is
always printed with the very fraction it is computed from, and each table writes out how it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from areas.models import Area
from linli.sections import discovered


@dataclass(frozen=True)
class Rate:
    numerator: int | float
    denominator: int

    @property
    def value(self) -> Decimal | None:
        """The rate as a fraction of 1, to four places (0.6250); None without a denominator."""
        if not self.denominator:
            return None
        return (Decimal(str(self.numerator)) / Decimal(self.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    @property
    def display(self) -> str:
        if not self.denominator:
            return "—"
        percent = Decimal(str(self.numerator)) * 100 / Decimal(self.denominator)
        return f"{percent.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"

    @property
    def formula(self) -> str:
        return f"{self.numerator} ÷ {self.denominator}" if self.denominator else ""

    def __str__(self) -> str:
        return f"{self.display}（{self.formula}）" if self.denominator else "—"


Cell = str | int | float | Rate


@dataclass
class LedgerTable:
    key: str  # unique among tables, e.g. "disputes"
    title: str  # 矛盾纠纷调解
    columns: list[str]
    rows: list[list[Cell]]
    definitions: list[str] = field(default_factory=list)  # how each column counts, written out
    links: list[str] = field(default_factory=list)  # per row: the records behind it (dashboard only), or ""


T = TypeVar("T")


def table_of(
    records: Iterable[T],
    row: Callable[[T], tuple[list[Cell], str]],
    *,
    key: str,
    title: str,
    columns: list[str],
    definitions: list[str],
) -> LedgerTable | None:
    """A table of one row per record, each with its link (``row(record)`` -> (cells, link)); None where there is
    no record."""
    rows: list[list[Cell]] = []
    links: list[str] = []
    for record in records:
        cells, link = row(record)
        rows.append(cells)
        links.append(link)
    if not rows:
        return None
    return LedgerTable(key=key, title=title, columns=columns, rows=rows, definitions=definitions, links=links)


def ledger_tables(area: Area, start: datetime, end: datetime) -> list[LedgerTable]:
    return [t for fn in discovered("REPORT") if (t := fn(area, start, end)) is not None]
