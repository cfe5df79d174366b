"""Pages of the monthly report (request, status, download, publish) and the public figures page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from evaluation import selectors as sel
from evaluation import services
from evaluation.models import MonthlyReport
from evaluation.public import community_figures
from evaluation.views import _area, _staff_scope
from linli import clock
from linli.errors import PermissionDenied, TransitionError
from linli.refusals import REFUSALS, refusal
from spreadsheets.lists import DATETIME, list_response, local, wants_xlsx


def _messages_of(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def _can_publish(scope: Scope, area: Area) -> bool:
    try:
        from notices.selectors import run_communities
    except ImportError:
        return False
    return run_communities(scope, within=area).exists()


@login_required
def report_list(request):
    scope = _staff_scope(request)
    area = _area(scope, request.POST.get("area") or request.GET.get("area"))
    if request.method == "POST":
        try:
            month = sel.parse_period(request.POST.get("month") or "-").start
            services.report_request(user=request.user, area=area, month=month)
        except REFUSALS as exc:
            refusal(request, exc)
        else:
            messages.success(request, "已提交，后台生成中，稍后刷新本页下载。")
        return redirect(f"{request.path}?area={area.pk}")
    last_month = sel.add_months(sel.month_of(clock.now()), -1)
    if wants_xlsx(request):
        reports = MonthlyReport.objects.filter(area=area).select_related("requested_by__person")
        return list_response(
            title=f"{area.name} 评单通报",
            filename=f"reports-{area.code}.xlsx",
            headers=["月份", "状态", "申请人", "申请时间", "完成时间", "公示时间", "错误"],
            rows=(
                [
                    f"{r.month:%Y-%m}",
                    r.get_status_display(),
                    r.requester,
                    local(r.requested_at),
                    local(r.finished_at),
                    local(r.published_at),
                    r.error,
                ]
                for r in reports
            ),
            formats=[None, None, None, DATETIME, DATETIME, DATETIME, None],
        )
    return render(
        request,
        "evaluation/reports.html",
        {
            "area": area,
            "period": sel.Period(last_month, last_month),
            "default_month": last_month,
            "reports": MonthlyReport.objects.filter(area=area).select_related("requested_by__person")[:60],
            "can_publish": _can_publish(scope, area),
        },
    )


@login_required
def report_file(request, pk: int, kind: str):
    scope = _staff_scope(request)
    report = get_object_or_404(MonthlyReport.objects.select_related("area"), pk=pk)
    if not sel.can_view(scope, report.area) or kind not in ("pdf", "xlsx"):
        raise Http404
    field = report.pdf if kind == "pdf" else report.xlsx
    if not field:
        raise Http404("文件尚未生成")
    return FileResponse(field.open("rb"), as_attachment=True, filename=(field.name or "").rsplit("/", 1)[-1])


@login_required
@require_POST
def report_publish(request, pk: int):
    report = get_object_or_404(MonthlyReport, pk=pk)
    try:
        notices = services.report_publish(user=request.user, report_id=pk)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    except (PermissionDenied, TransitionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已在 {len(notices)} 个社区公示栏发布")
    return redirect(f"/evaluation/reports/?area={report.area_id}")


def public_figures(request, code: str):
    community = Area.objects.filter(code=code, kind=Area.Kind.COMMUNITY).first()
    if community is None:
        raise Http404("没有这个社区")
    return render(request, "evaluation/public.html", {"ctx": community_figures(community)})
