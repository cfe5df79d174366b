"""Writes of the evaluation app: request, generate and publish the monthly report. Each is audited."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction

from access.scope import Scope
from areas.models import Area
from audit.models import record
from evaluation import selectors as sel
from evaluation.models import MonthlyReport
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError

log = logging.getLogger(__name__)


def _check_month(month: date) -> date:
    month = month.replace(day=1)
    if month > sel.month_of(clock.now()):
        raise ValidationError({"month": "不能为将来的月份生成通报"})
    return month


@transaction.atomic
def report_request(*, user, area: Area, month: date, enqueue: bool = True) -> MonthlyReport:
    """Queue the report of one month and area for the background worker (user None: the monthly job)."""
    if user is not None and not sel.can_view(Scope.of(user), area):
        raise PermissionDenied(f"“{area.name}”不在您的统计范围内")
    if area.kind not in (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY):
        raise ValidationError({"area": "评单通报按区、街道或社区生成"})
    month = _check_month(month)
    waiting = MonthlyReport.objects.filter(
        area=area, month=month, status__in=[MonthlyReport.Status.QUEUED, MonthlyReport.Status.RUNNING]
    ).first()
    if waiting is not None:
        from evaluation.report_tasks import report_fate, requeue

        waiting = MonthlyReport.objects.select_for_update().get(pk=waiting.pk)
        stuck = report_fate(waiting)  # its task failed or its worker died: queue it again, once
        return waiting if stuck is None else requeue(waiting, user=user, reason=stuck.detail)
    report = MonthlyReport.objects.create(area=area, month=month, requested_by=user, requested_at=clock.now())
    record(actor=user, action="report_request", obj=report, summary=f"申请生成 {report}")
    if enqueue:
        from evaluation.tasks import generate_report_task

        transaction.on_commit(lambda: generate_report_task.enqueue(report_id=report.pk))
    return report


def report_generate(*, report_id: int) -> MonthlyReport:
    """Write the PDF and the workbook and keep them; a failure is kept on the row with its reason."""
    from evaluation.pdf import write_pdf
    from evaluation.report import report_content
    from evaluation.report_xlsx import write_xlsx

    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().select_related("area").get(pk=report_id)
        if report.status != MonthlyReport.Status.QUEUED:
            raise TransitionError(f"通报状态为“{report.get_status_display()}”，不能再生成")
        report.status = MonthlyReport.Status.RUNNING
        report.save(update_fields=["status"])
    try:
        content = report_content(report.area, report.month)
        pdf, xlsx = write_pdf(content), write_xlsx(content)
    except (ImproperlyConfigured, OSError, ValueError) as exc:
        log.exception("monthly report %s failed", report_id)
        with transaction.atomic():
            report.status = MonthlyReport.Status.FAILED
            report.error = str(exc)[:500]
            report.finished_at = clock.now()
            report.save(update_fields=["status", "error", "finished_at"])
            record(
                actor=None,
                action="report_failed",
                obj=report,
                summary=f"{report} 生成失败",
                error=report.error,
            )
        return report
    name = f"{report.area.code}-{report.month:%Y-%m}"
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report_id)
        report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        report.status = MonthlyReport.Status.DONE
        report.finished_at = clock.now()
        report.error = ""
        report.save(update_fields=["pdf", "xlsx", "status", "finished_at", "error"])
        record(actor=None, action="report_done", obj=report, summary=f"{report} 已生成")
    return report


@transaction.atomic
def report_publish(*, user, report_id: int, days: int = 30) -> list:
    """Publish a finished report on the notice board of each community it covers that the user runs."""
    try:
        from notices.models import Notice
        from notices.selectors import run_communities
        from notices.services import notice_publish
    except ImportError as exc:  # the notice board is not installed
        raise ValidationError({"report": "公示栏尚未启用，无法发布"}) from exc
    report = MonthlyReport.objects.select_for_update().select_related("area").filter(pk=report_id).first()
    if report is None or not sel.can_view(Scope.of(user), report.area):
        raise PermissionDenied("该通报不在您的范围内")
    if report.status != MonthlyReport.Status.DONE:
        raise TransitionError("通报尚未生成，不能发布")
    scope = Scope.of(user)
    communities = list(run_communities(scope, within=report.area))
    if not communities:
        raise PermissionDenied("只有社区工作者可以在本社区公示栏发布通报")
    from evaluation.public import report_notice_body

    notices = [
        notice_publish(
            user=user,
            community=c,
            kind=Notice.Kind.RANKING,
            title=f"{report.month:%Y年%m月} 评单通报",
            body=report_notice_body(report, c),
            days=days,
            subject_type="evaluation.monthlyreport",
            subject_id=report.pk,
        )
        for c in communities
    ]
    report.published_at = clock.now()
    report.save(update_fields=["published_at"])
    record(actor=user, action="report_publish", obj=report, summary=f"公示 {report}", notices=len(notices))
    return notices
