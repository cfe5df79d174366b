"""The administrator reads the PIPL records here: who saw whose full phone, address or dispute statement (with an
Excel export), consents and erasure requests. Read-only: the rows are written by the services."""

from __future__ import annotations

import io

from django.contrib import admin
from django.http import HttpResponse
from openpyxl import Workbook

from audit.models import ErasureRequest, PersonalDataView, PrivacyConsent
from linli.admin import ReadOnlyForAdministrator
from spreadsheets.safe import clean_row, save


@admin.action(description="导出所选记录（Excel）")
def export_views(modeladmin, request, queryset):
    book = Workbook()
    sheet = book.create_sheet("个人信息查看记录", 0)
    book.remove(book.worksheets[1])  # the blank sheet a new workbook starts with
    sheet.append(["时间", "查看人", "被查看人编号", "被查看人", "信息", "所在记录", "页面或接口", "请求编号"])
    for v in queryset.select_related("actor", "person").order_by("at"):
        sheet.append(
            clean_row(
                [
                    v.at.strftime("%Y-%m-%d %H:%M:%S"),
                    v.actor.username if v.actor else "",
                    v.person_id or "",
                    v.person.name if v.person else "",
                    v.get_field_display(),
                    v.subject,
                    v.where,
                    v.request_id,
                ]
            )
        )
    stream = io.BytesIO()
    save(book, stream)
    response = HttpResponse(
        stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data-views.xlsx"'
    return response


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyForAdministrator):
    list_display = ["at", "actor", "person", "field", "subject", "where"]
    list_filter = ["field"]
    search_fields = ["actor__username", "person__name", "subject", "where"]
    date_hierarchy = "at"
    actions = [export_views]

    def get_actions(self, request):
        # Django offers actions only to those who may change; the export is the administrator's to read
        actions = super().get_actions(request)
        if self._is_admin(request):
            actions["export_views"] = self.get_action(export_views)
        return actions


@admin.register(PrivacyConsent)
class PrivacyConsentAdmin(ReadOnlyForAdministrator):
    list_display = ["at", "user", "version", "choices"]
    list_filter = ["version"]
    search_fields = ["user__username"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyForAdministrator):
    list_display = ["requested_at", "person", "status", "handled_by", "handled_at", "note"]
    list_filter = ["status"]
