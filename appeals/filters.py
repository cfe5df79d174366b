"""The queue's filters, defined once: the queue page, its Excel export, the dashboards' drill-downs and the
API's ``GET /api/appeals/`` all read a query string through ``QueueFilterSerializer``.

The API is strict (a malformed value is a 400 with the field's message); a page is lenient (a malformed
value from an old link is dropped and the rest still filter). ``month`` is a shorthand for one month
(``month_from`` = ``month_to``); the page shows open appeals unless told otherwise, the API every status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appeals.models import Channel, Kind, Status
from appeals.selectors import QUEUE_MEASURES, SORTS, WHISTLE_FILTERS, QueueFilters
from linli.inputs import MAX_ID

MONTH = re.compile(r"^(19[0-9]{2}|2[0-9]{3})-(0?[1-9]|1[0-2])$")


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-11"})
class MonthField(serializers.Field):
    """A month as ``YYYY-MM``, read as its first day."""

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"

    def to_internal_value(self, data: Any) -> date:
        text = str(data).strip()
        match = MONTH.match(text)
        if not match:
            raise serializers.ValidationError("月份格式为 YYYY-MM，例如 2026-11")
        return date(int(match.group(1)), int(match.group(2)), 1)


def _id() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class QueueFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", "未办结"), *Status.choices], required=False, allow_blank=True
    )
    overdue = serializers.BooleanField(required=False, default=False)
    category = _id()
    grid = _id()
    unit = _id()
    community = _id()
    area = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="任一级区域：含其全部下级"
    )
    month = MonthField(required=False, help_text="提交月份（YYYY-MM），等同 month_from = month_to")
    month_from = MonthField(required=False, help_text="提交月份起（YYYY-MM，含）")
    month_to = MonthField(required=False, help_text="提交月份止（YYYY-MM，含）")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    measure = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="统计口径（看板下钻时带上）"
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=50)
    sort = serializers.ChoiceField(choices=list(SORTS), required=False, default="deadline")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True)
    whistle = serializers.ChoiceField(
        choices=list(WHISTLE_FILTERS.items()),
        required=False,
        allow_blank=True,
        help_text="吹哨报到：summoned 待报到、reported 已报到待完成（单位工作人员只看本单位的报到任务）",
    )

    def validate_measure(self, value: str) -> str:
        if value and value not in QUEUE_MEASURES:
            raise serializers.ValidationError("没有这个统计口径")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("month_from"), attrs.get("month_to")
        if start and end and start > end:
            raise serializers.ValidationError({"month_to": "截止月份不能早于起始月份"})
        return attrs


def queue_filters(
    params: Mapping[str, Any], *, default_status: str = "", strict: bool = True
) -> QueueFilters:
    """The filters of a query string; ``strict`` raises DRF's ValidationError (400), else bad values are dropped."""
    names: list[str] = list(QueueFilterSerializer().fields)
    given: dict[str, Any] = {k: params.get(k) for k in names if params.get(k) not in (None, "")}
    if "status" in params:  # an explicit empty status means every status
        given["status"] = params.get("status") or ""
    body = QueueFilterSerializer(data=given)
    if not body.is_valid():
        if strict:
            raise serializers.ValidationError(body.errors)
        bad = set(body.errors) | ({"month_from", "month_to"} if "non_field_errors" in body.errors else set())
        body = QueueFilterSerializer(data={k: v for k, v in given.items() if k not in bad})
        body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    month = data.pop("month", None)
    if month is not None:
        data.setdefault("month_from", month)
        data.setdefault("month_to", month)
    data.setdefault("status", default_status)
    return QueueFilters(**data)
