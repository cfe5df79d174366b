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
from evaluation import selectors as sel
from evaluation.figures import FIGURES, Totals, as_number
from linli.api import REFUSALS


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
            OpenApiParameter("month", str, description="YYYY-MM 或 YYYY-MM..YYYY-MM（默认：本月）"),
            OpenApiParameter("by", str, description="、".join(sel.BY_CHOICES)),
        ],
        responses={200: dict, 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    def get(self, request: Request) -> Response:
        scope = Scope.of(request.user)
        area = sel.visible_area(scope, request.query_params.get("area"))
        if area is None:
            raise NotFound("该区域不存在或不在您的统计范围内")
        period = sel.parse_period(request.query_params.get("month"))
        by = request.query_params.get("by", "")
        if by and by not in sel.BY_CHOICES:
            raise ValidationError({"by": f"by 只能是：{'、'.join(sel.BY_CHOICES)}"})
        cells = sel.cells(area, period)
        body: dict = {
            "area": {"id": area.pk, "code": area.code, "name": area.name, "kind": area.kind},
            "month": period.param,
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
