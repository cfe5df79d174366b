"""Pages: download the template or an export of my scope, upload a workbook and see the outcome."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from access.scope import Scope
from spreadsheets.forms import UploadForm
from spreadsheets.layout import MAX_ROWS, SHEETS, XLSX_CONTENT_TYPE
from spreadsheets.selectors import can_use_spreadsheets, download_name
from spreadsheets.services import workbook_import
from spreadsheets.workbook import workbook_export, workbook_template


def _scope(request: HttpRequest) -> Scope:
    scope = Scope.of(request.user)
    if not can_use_spreadsheets(scope):
        raise Http404
    return scope


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    result = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = workbook_import(actor=request.user, scope=scope, file=upload, filename=upload.name)
        if result.ok:
            form = UploadForm()
    context = {"form": form, "result": result, "sheets": SHEETS, "max_rows": MAX_ROWS}
    return render(request, "spreadsheets/home.html", context)


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    _scope(request)
    return xlsx_response(workbook_template(), "邻里导入模板.xlsx")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    return xlsx_response(workbook_export(scope=scope), download_name("邻里导出"))
