"""Turning one cell's value (text, number, bool or blank, as Excel stored it) into a clean Python value.

Each function raises ``CellError`` with a message for the person who typed the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from areas.models import code_validator
from people.models import phone_validator
from spreadsheets.layout import NO_VALUES, YES_VALUES


def _pattern(regex: str | re.Pattern[str]) -> re.Pattern[str]:
    return regex if isinstance(regex, re.Pattern) else re.compile(regex)


PHONE_RE = _pattern(phone_validator.regex)
SERVICE_NUMBER_RE = re.compile(r"^\d{3,8}$")  # 12345, 95598: hotlines units list as their phone
CODE_RE = _pattern(code_validator.regex)
AREA_STEP = Decimal("0.01")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any, *, max_length: int, required: bool = False) -> str:
    if is_blank(value):
        if required:
            raise CellError("必填，不能为空")
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if len(result) > max_length:
        raise CellError(f"不能超过 {max_length} 个字")
    return result


def code(value: Any, *, required: bool = False) -> str:
    result = text(value, max_length=40, required=required)
    if result and not CODE_RE.match(result):
        raise CellError(f"代码“{result}”无效：只能包含字母、数字、点、横线和下划线，并以字母或数字开头")
    return result


def code_list(value: Any) -> list[str]:
    raw = text(value, max_length=2000)
    parts = [p.strip() for p in re.split(r"[,，、;；\s]+", raw) if p.strip()]
    return [code(p) for p in parts]


def integer(value: Any, *, low: int, high: int) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("请输入整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise CellError("请输入整数")
    if not low <= number <= high:
        raise CellError(f"应在 {low} 到 {high} 之间")
    return number


def floor_area(value: Any) -> Decimal:
    if is_blank(value):
        raise CellError("必填，不能为空")
    if isinstance(value, bool):
        raise CellError("请输入面积数字，如 89.5")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CellError("请输入面积数字，如 89.5") from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1000000"):
        raise CellError("面积应大于 0 且小于 1000000 平方米")
    if number != number.quantize(AREA_STEP):
        raise CellError("面积最多两位小数")
    return number.quantize(AREA_STEP)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    word = str(value).strip().lower()
    if word in YES_VALUES:
        return True
    if word in NO_VALUES:
        return False
    raise CellError("请填写“是”或“否”")


def choice(value: Any, labels: dict[str, str], *, default: str | None = None) -> str:
    """A label from the drop-down list (or the stored value itself); blank gives the default."""
    if is_blank(value):
        if default is None:
            raise CellError(f"必填，请从列表中选择：{'、'.join(labels)}")
        return default
    word = str(value).strip()
    if word in labels:
        return labels[word]
    if word in labels.values():
        return word
    raise CellError(f"“{word}”不在列表中，请选择：{'、'.join(labels)}")


def phone(value: Any, *, allow_service_number: bool = False) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = re.sub(r"\s+", "", str(value))
    if "*" in number:
        raise CellError("号码已被遮挡（含 *），请填写完整号码或留空")
    if PHONE_RE.match(number) or (allow_service_number and SERVICE_NUMBER_RE.match(number)):
        return number
    raise CellError("请输入 11 位手机号或带区号的固定电话（如 0914-1234567）")
