"""``GET /api/figures/?area=&month=&by=``: the figures of an area (id or code) for a month or a range of months,
in total or broken down by subdistrict, community, grid, unit, category, channel or month. Counts are exact
integers; rates are decimal strings (4 places) computed from them; each figure carries its definition."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import Scope
from appeals.models import Kind
from evaluation import selectors as sel
from evaluation.figures import FIGURES, Totals, as_number
from linli.api import REFUSALS
from units.models import Unit


def _figures(totals: Totals) -> dict:
    out = {}
    for f in FIGURES:
        value = as_number(f, totals.value(f.key))
        out[f.key] = None if value is None else (value if isinstance(value, int) else str(value))
    return out


def _payload(totals: Totals) -> dict:
    return {"counts": totals.counts, "figures": _figures(totals)}


class FiguresView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="区域 id 或代码（默认：您范围内最高的一级）"),
            OpenApiParameter("month", str, description="YYYY-MM 或 YYYY-MM..YYYY-MM（默认：上一个完整月份）"),
            OpenApiParameter("by", str, description="、".join(sel.BY_CHOICES)),
            OpenApiParameter(
                "kind", str, description="appeal（诉求，默认）或 service_order（三库联动服务单）"
            ),
            OpenApiParameter(
                "unit", int, description="只统计这个承办单位办理的诉求（本单位工作人员，或该区域的工作人员）"
            ),
        ],
        responses={200: dict, 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    def get(self, request: Request) -> Response:
        scope = Scope.of(request.user)
        unit = None
        raw_unit = request.query_params.get("unit", "")
        if raw_unit:
            if not raw_unit.isdigit():
                raise ValidationError({"unit": "unit 须为承办单位的 id"})
            unit = Unit.objects.filter(pk=int(raw_unit)).first()
            if unit is None:
                raise NotFound("该承办单位不存在")
            area = sel.unit_dashboard_area(scope, unit, request.query_params.get("area"))
        else:
            area = sel.visible_area(scope, request.query_params.get("area"))
        if area is None:
            raise NotFound("该区域不存在或不在您的统计范围内")
        period = sel.parse_period(request.query_params.get("month"))
        by = request.query_params.get("by", "")
        if by and by not in sel.BY_CHOICES:
            raise ValidationError({"by": f"by 只能是：{'、'.join(sel.BY_CHOICES)}"})
        kind = request.query_params.get("kind") or Kind.APPEAL
        if kind not in Kind.values:
            raise ValidationError({"kind": "kind 只能是 appeal 或 service_order"})
        cells = sel.cells(area, period, unit=unit.pk if unit else None, kind=kind)
        body: dict = {
            "area": {"id": area.pk, "code": area.code, "name": area.name, "kind": area.kind},
            "unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None,
            "month": period.param,
            "kind": kind,
            "definitions": {f.key: {"label": f.label, "definition": f.definition} for f in FIGURES},
            "total": _payload(sel.totals(cells)),
        }
        if by:
            body["by"] = by
            body["rows"] = [
                {
                    "key": r.key if not hasattr(r.key, "isoformat") else f"{r.key:%Y-%m}",
                    "label": r.label,
                    **_payload(r.totals),
                }
                for r in sel.rows_by(cells, by)
            ]
        return Response(body)
