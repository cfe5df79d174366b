"""The 代办/预约 ledger page and its Excel file: the same filter (site or area, month, kind) for both."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from access.scope import Scope
from areas.models import Area
from linli import clock
from linli.refusals import refusal
from sites import ledger
from sites import scope as rights
from sites.figures import month_bounds, site_table
from sites.models import ServiceRecord
from sites.views import REFUSED
from spreadsheets.safe import clean_row, save


def _month(raw: str) -> date:
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localtime(clock.now()).date().replace(day=1)


def filtered(request, scope: Scope):
    """The ledger rows this person may see, filtered by ``site`` or ``area``, ``month`` and ``kind``."""
    month = _month(request.GET.get("month", ""))
    start, end = month_bounds(month)
    qs = rights.records(scope).filter(served_at__gte=start, served_at__lt=end)
    area = None
    site_id = request.GET.get("site", "")
    if site_id.isdigit():
        qs = qs.filter(site_id=int(site_id))
    area_id = request.GET.get("area", "")
    if area_id.isdigit():
        area = scope.areas().filter(pk=int(area_id)).first()
        if area is not None:
            qs = (
                qs.filter(site__community__path__startswith=area.path)
                if area.kind != Area.Kind.GRID
                else qs.filter(site__grid=area)
            )
    kind = request.GET.get("kind", "")
    if kind in ServiceRecord.Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("extended") == "1":
        qs = qs.filter(extended=True)
    return qs.select_related("site", "person").order_by("-served_at", "-id"), month, area, start, end


@login_required
def ledger_page(request):
    scope = Scope.of(request.user)
    qs, month, area, start, end = filtered(request, scope)
    table_area = area or next(iter(scope.nodes(rights.SITE_MANAGER_ROLES)), None)
    rows = [
        (r, ledger.RECORDS.offered(r, lambda a, r=r: rights.may_manage_site(scope, r.site))) for r in qs[:300]
    ]
    return render(
        request,
        "sites/ledger.html",
        {
            "rows": rows,
            "count": qs.count(),
            "month": month,
            "kinds": ServiceRecord.Kind.choices,
            "table": site_table(table_area, start, end) if table_area else None,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def ledger_xlsx(request):
    scope = Scope.of(request.user)
    qs, month, _area, _start, _end = filtered(request, scope)
    book = Workbook()
    ws = book.active
    ws.title = "代办预约台账"
    ws.append(
        ["受理时间", "阵地", "类型", "服务事项", "服务对象", "延时服务", "用时（分钟）", "状态", "备注"]
    )
    for r in qs.iterator():
        ws.append(
            clean_row(
                [
                    timezone.localtime(r.served_at).strftime("%Y-%m-%d %H:%M"),
                    r.site.name,
                    r.get_kind_display(),
                    r.service,
                    r.person.name if r.person else "",
                    "是" if r.extended else "否",
                    r.minutes,
                    r.get_status_display(),
                    r.note,
                ]
            )
        )
    out = io.BytesIO()
    save(book, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="service-ledger-{month:%Y-%m}.xlsx"'
    return response


@login_required
@require_POST
def record_step(request, pk: int, action: str):
    scope = Scope.of(request.user)
    record = get_object_or_404(rights.records(scope), pk=pk)
    try:
        if action == "complete":
            minutes = request.POST.get("minutes", "")
            ledger.record_complete(
                user=request.user, record_id=record.pk, minutes=int(minutes) if minutes.isdigit() else -1
            )
        elif action == "revoke":
            ledger.record_revoke(
                user=request.user, record_id=record.pk, reason=request.POST.get("reason", "")
            )
        else:
            raise ledger.ValidationError({"action": "未知操作"})
    except REFUSED as exc:
        refusal(request, exc)
    else:
        messages.success(request, "台账已更新")
    return redirect("sites-ledger")
