"""Reading an uploaded file into rows, refusing anything that is not a reasonable .xlsx workbook.

Only the sheets named in ``layout.SHEETS`` are read; the header row must hold every column of the format
(in any order, extra columns are ignored). Blank rows are skipped. Row numbers are Excel's (header = 1).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from openpyxl import load_workbook

from spreadsheets.layout import MAX_FILE_BYTES, MAX_ROWS, SHEETS, SheetSpec

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
MAX_COLUMNS = 40


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.column:
            where += f" 「{self.column}」"
        return f"{where}：{self.message}" if where else self.message


@dataclass
class SheetRows:
    spec: SheetSpec
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ReadResult:
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _clean_header(value: Any) -> str:
    return str(value).strip().rstrip("*＊").strip() if value is not None else ""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(file: IO[bytes]) -> ReadResult:
    result = ReadResult()
    data = file.read(MAX_FILE_BYTES + 1)
    if not data:
        result.errors.append(RowError("", None, "", "文件是空的"))
        return result
    if len(data) > MAX_FILE_BYTES:
        result.errors.append(
            RowError("", None, "", f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请分批导入")
        )
        return result
    if data.startswith(OLE_MAGIC):
        result.errors.append(RowError("", None, "", "这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"))
        return result
    if not zipfile.is_zipfile(BytesIO(data)):
        result.errors.append(
            RowError(
                "", None, "", "文件不是 Excel 工作簿（.xlsx）；CSV 或文本文件请先在 Excel 中另存为 .xlsx"
            )
        )
        return result
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged or foreign zip
        result.errors.append(RowError("", None, "", "文件无法作为 Excel 工作簿（.xlsx）打开，可能已损坏"))
        return result
    try:
        _read_sheets(wb, result)
    finally:
        wb.close()
    return result


def _read_sheets(wb: Any, result: ReadResult) -> None:
    names = {name.strip(): name for name in wb.sheetnames}
    known = [spec for spec in SHEETS if spec.name in names]
    if not known:
        expected = "、".join(s.name for s in SHEETS)
        result.errors.append(RowError("", None, "", f"工作簿中没有可导入的工作表（应为：{expected}）"))
        return
    total = 0
    for spec in known:
        ws = wb[names[spec.name]]
        rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(rows, None)
        headers = [_clean_header(v) for v in header] if header else []
        missing = [h for h in spec.headers if h not in headers]
        if missing:
            for h in missing:
                result.errors.append(RowError(spec.name, 1, h, "缺少此列（第一行应是列名）"))
            continue
        index = {h: headers.index(h) for h in spec.headers}
        sheet = SheetRows(spec)
        for number, values in enumerate(rows, start=2):
            if all(_is_blank(v) for v in values):
                continue
            total += 1
            if total > MAX_ROWS:
                result.errors.append(RowError(spec.name, number, "", f"数据超过 {MAX_ROWS} 行，请分批导入"))
                return
            record = {
                c.key: (values[index[c.header]] if index[c.header] < len(values) else None)
                for c in spec.columns
            }
            sheet.rows.append((number, record))
        result.sheets[spec.name] = sheet
    if not result.errors and total == 0:
        result.errors.append(RowError("", None, "", "工作簿中没有数据行（第一行列名之下是空的）"))
