"""`POST /api/spreadsheets/import/`, `GET /api/spreadsheets/export/` and `GET /api/spreadsheets/template/`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from access.scope import Scope
from linli.api import REFUSALS
from spreadsheets.layout import XLSX_CONTENT_TYPE
from spreadsheets.reader import RowError
from spreadsheets.selectors import can_use_spreadsheets, download_name
from spreadsheets.services import workbook_import
from spreadsheets.views import xlsx_response
from spreadsheets.workbook import workbook_export, workbook_template


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="一个 .xlsx 工作簿，格式与模板相同")


class RowErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text="工作表名称，如“人员”；整份文件的问题为空")
    row = serializers.IntegerField(allow_null=True, help_text="Excel 行号（第一行是列名）")
    column = serializers.CharField(help_text="列名，如“电话”")
    message = serializers.CharField()


# A field named "errors" would shadow Serializer.errors, so this response shape is declared inline.
ImportErrorsSerializer = inline_serializer(
    "SpreadsheetImportErrors", {"errors": RowErrorSerializer(many=True)}
)


class ImportResultSerializer(serializers.Serializer):
    created = serializers.DictField(child=serializers.IntegerField(), help_text="每个工作表新增的行数")
    unchanged = serializers.DictField(
        child=serializers.IntegerField(), help_text="已存在且内容相同、因此跳过的行数"
    )


def _scope(request) -> Scope:
    scope = Scope.of(request.user)
    if not can_use_spreadsheets(scope):
        raise PermissionDenied("只有系统管理员、社区和街道工作人员可以导入导出")
    return scope


def _errors(errors: list[RowError]) -> Response:
    payload = [{"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message} for e in errors]
    return Response({"errors": payload}, status=status.HTTP_400_BAD_REQUEST)


class XlsxRenderer(BaseRenderer):
    """Lets a client ask for the workbook by its media type (the body is already bytes)."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


XLSX_RESPONSE = {(200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 工作簿")}


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入 Excel 工作簿（全部通过才写入）",
        request={"multipart/form-data": ImportRequestSerializer},
        responses={201: ImportResultSerializer, 400: ImportErrorsSerializer, 403: REFUSALS[403]},
        tags=["spreadsheets"],
    )
    def post(self, request):
        scope = _scope(request)
        upload = request.FILES.get("file")
        if upload is None:
            return _errors([RowError("", None, "file", "请上传 multipart 字段 file（.xlsx 文件）")])
        result = workbook_import(actor=request.user, scope=scope, file=upload, filename=upload.name)
        if not result.ok:
            return _errors(result.errors)
        data = {"created": result.created, "unchanged": result.unchanged}
        return Response(ImportResultSerializer(data).data, status=status.HTTP_201_CREATED)


class ExportView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        summary="导出我有权查看的数据（xlsx，可再导入）",
        responses={**XLSX_RESPONSE, 403: REFUSALS[403]},
        tags=["spreadsheets"],
    )
    def get(self, request):
        return xlsx_response(workbook_export(scope=_scope(request)), download_name("linli-export"))


class TemplateView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(summary="下载空白导入模板（xlsx）", responses=XLSX_RESPONSE, tags=["spreadsheets"])
    def get(self, request):
        _scope(request)
        return xlsx_response(workbook_template(), "linli-template.xlsx")
