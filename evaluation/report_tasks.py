"""A monthly report whose background task failed or whose worker died: say so on the page and let staff ask again.

``report_fate(report)`` reads the report's generating task (``jobs.tracking``): a QUEUED or RUNNING report whose
task failed, or was claimed by a worker whose heartbeat stopped, is *stuck* — nothing will finish it. A FAILED
report (generation raised) may be asked again as well. ``report_retry`` (service, audited, 409 when the report
is done or still genuinely on its way) abandons the old task and queues a new one; ``report_request`` does the
same when the month asked for is stuck, instead of answering with the stuck row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from access.scope import Scope
from audit.models import record
from evaluation import selectors as sel
from evaluation.models import MonthlyReport
from jobs.tracking import Fate, abandon, fate_of
from linli.errors import PermissionDenied, TransitionError
from linli.refusals import REFUSALS, refusal

TASK_PATH = "evaluation.tasks.generate_report_task"
S = MonthlyReport.Status


def report_fate(report: MonthlyReport) -> Fate | None:
    """Why this report cannot finish by itself (a stuck fate), or None when it is done or on its way."""
    if report.status == S.FAILED:
        return Fate("failed", report.error or "生成失败")
    if report.status not in (S.QUEUED, S.RUNNING):
        return None
    fate = fate_of(TASK_PATH, report_id=report.pk)
    return fate if fate is not None and fate.stuck else None


def requeue(report: MonthlyReport, *, user, reason: str) -> MonthlyReport:
    """Inside the caller's transaction, with ``report`` locked: abandon its old task, queue a new one."""
    from evaluation.tasks import generate_report_task

    abandon(TASK_PATH, report_id=report.pk, reason=f"已重新申请生成：{reason}")
    report.status, report.error, report.finished_at = S.QUEUED, "", None
    report.save(update_fields=["status", "error", "finished_at"])
    record(actor=user, action="report_retry", obj=report, summary=f"重新申请生成 {report}", reason=reason)
    transaction.on_commit(lambda: generate_report_task.enqueue(report_id=report.pk))
    return report


@transaction.atomic
def report_retry(*, user, report_id: int) -> MonthlyReport:
    """Ask again for a report that failed or whose worker died; 409 if it is done or still on its way."""
    report = MonthlyReport.objects.select_for_update().select_related("area").get(pk=report_id)
    if not sel.can_view(Scope.of(user), report.area):
        raise PermissionDenied(f"“{report.area.name}”不在您的统计范围内")
    if report.status == S.DONE:
        raise TransitionError("通报已生成，不需要重新生成")
    fate = report_fate(report)
    if fate is None:
        raise TransitionError("通报正在生成，请稍后刷新本页")
    return requeue(report, user=user, reason=fate.detail)


@login_required
@require_POST
def report_retry_view(request, pk: int):
    report = get_object_or_404(MonthlyReport, pk=pk)
    if not sel.can_view(Scope.of(request.user), report.area):  # out of scope: not there at all
        raise Http404
    try:
        report_retry(user=request.user, report_id=pk)
    except REFUSALS as exc:
        refusal(request, exc)
    else:
        messages.success(request, "已重新提交，后台生成中，稍后刷新本页下载。")
    return redirect(f"/evaluation/reports/?area={report.area_id}")
