"""活动: the ledger as Excel (the list page's filter) and the photos, served only to those who see the activity."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl import Workbook

from access.scope import Scope
from activities import scope as rights
from activities import selectors
from activities.models import ActivityPhoto
from linli.media import private_image
from spreadsheets.safe import clean_row, save

COLUMNS = [
    "日期",
    "开始",
    "结束",
    "社区",
    "面向",
    "类型",
    "名称",
    "地点",
    "组织者 / 主讲",
    "共建单位",
    "名额",
    "报名",
    "签到（人次）",
    "状态",
    "小结",
]


@login_required
def ledger_xlsx(request):
    scope = Scope.of(request.user)
    qs, _used = selectors.filtered(scope, request.GET)
    book = Workbook()
    ws = book.active
    ws.title = "活动台账"
    ws.append(COLUMNS)
    for a in selectors.with_counts(qs).order_by("starts_at"):
        start, end = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
        ws.append(
            clean_row(
                [
                    start.strftime("%Y-%m-%d"), start.strftime("%H:%M"), end.strftime("%H:%M"), a.community.name,
                    a.area.name, a.get_kind_display(), a.title, a.place, a.organiser, a.unit.name if a.unit else "",
                    a.cap or "", a.signed, a.present, a.get_status_display(), a.report,
                ]
            )
        )  # fmt: skip
    out = io.BytesIO()
    save(book, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="activities.xlsx"'
    return response


@login_required
def photo(request, pk: int, photo_pk: int):
    activity = get_object_or_404(rights.activities(Scope.of(request.user)), pk=pk)
    item = get_object_or_404(ActivityPhoto, pk=photo_pk, activity=activity)
    return private_image(item.image)
