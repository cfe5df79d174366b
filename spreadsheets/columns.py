"""A sheet of the workbook and its columns (``layout`` lists the sheets)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    width: int
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    help: str

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]
