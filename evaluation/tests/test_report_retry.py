"""A monthly report whose task failed or whose worker died is shown as failed on the 评单通报 page, with a button that
queues it again (``evaluation.report_tasks``); a report still on its way or done is not asked twice (409)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from evaluation import report_tasks, services
from evaluation.models import MonthlyReport
from evaluation.tasks import generate_report_task
from jobs.models import WorkerHeartbeat
from jobs.tracking import ABANDONED_CLASS
from jobs.workers import beat
from linli.errors import PermissionDenied, TransitionError

pytestmark = pytest.mark.django_db
PAGE = "/evaluation/reports/"


@pytest.fixture
def report(world):
    """幸福社区's report of March 2025, its generating task queued."""
    queued = services.report_request(
        user=world.community, area=world.c1, month=date(2025, 3, 1), enqueue=False
    )
    generate_report_task.enqueue(report_id=queued.pk)
    return queued


def claim(report: MonthlyReport, worker: str) -> DBTaskResult:
    """A worker took the report's task and started generating it."""
    task = DBTaskResult.objects.get(args_kwargs__kwargs__report_id=report.pk)
    task.status, task.started_at, task.worker_ids = "RUNNING", timezone.now(), [worker]
    task.save(update_fields=["status", "started_at", "worker_ids"])
    MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.RUNNING)
    report.refresh_from_db()
    return task


def silence(worker: str, seconds: int = 600) -> None:
    beat(worker, beating=True)
    WorkerHeartbeat.objects.filter(worker_id=worker).update(
        last_seen=timezone.now() - timedelta(seconds=seconds)
    )


def tasks_of(report: MonthlyReport) -> list[str]:
    return list(
        DBTaskResult.objects.filter(args_kwargs__kwargs__report_id=report.pk)
        .order_by("enqueued_at")
        .values_list("status", flat=True)
    )


# ---- the service ----------------------------------------------------------------------------------------------
def test_a_report_whose_worker_died_is_stuck_and_asking_again_queues_it_once(
    world, report, django_capture_on_commit_callbacks
):
    # Given the worker that was generating the report stopped beating ten minutes ago
    old = claim(report, "worker-dead")
    silence("worker-dead")
    fate = report_tasks.report_fate(report)
    assert fate is not None and fate.state == "lost" and "中断" in fate.detail
    # When the community worker asks again
    with django_capture_on_commit_callbacks(execute=True):
        report_tasks.report_retry(user=world.community, report_id=report.pk)
    # Then the report waits again, the old task can never run beside the new one, and one new task is queued
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.QUEUED and report_tasks.report_fate(report) is None
    old.refresh_from_db()
    assert old.status == "FAILED" and old.exception_class_path == ABANDONED_CLASS
    assert tasks_of(report) == ["FAILED", "READY"]
    event = AuditEvent.objects.get(action="report_retry")
    assert event.actor == world.community and "中断" in event.data["reason"]
    # And asking a second time is refused: it is on its way (409)
    with pytest.raises(TransitionError, match="正在生成"):
        report_tasks.report_retry(user=world.community, report_id=report.pk)


def test_a_failed_task_or_a_failed_report_may_be_asked_again(world, report):
    DBTaskResult.objects.filter(args_kwargs__kwargs__report_id=report.pk).update(
        status="FAILED", finished_at=timezone.now(), exception_class_path="builtins.RuntimeError"
    )
    assert report_tasks.report_fate(report).state == "failed"
    report_tasks.report_retry(user=world.community, report_id=report.pk)
    # A report whose generation raised (status failed, its reason kept) is asked again the same way
    MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.FAILED, error="字体缺失")
    report.refresh_from_db()
    assert report_tasks.report_fate(report).detail == "字体缺失"
    report_tasks.report_retry(user=world.community, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.QUEUED and report.error == ""


def test_a_report_running_on_a_live_worker_or_done_is_not_asked_twice(world, report):
    claim(report, "worker-alive")
    beat("worker-alive", beating=True)
    assert report_tasks.report_fate(report) is None
    with pytest.raises(TransitionError, match="正在生成"):
        report_tasks.report_retry(user=world.community, report_id=report.pk)
    assert tasks_of(report) == ["RUNNING"]
    MonthlyReport.objects.filter(pk=report.pk).update(status=MonthlyReport.Status.DONE)
    with pytest.raises(TransitionError, match="已生成"):
        report_tasks.report_retry(user=world.community, report_id=report.pk)


def test_only_staff_who_see_the_area_may_ask_again(world, report):
    claim(report, "worker-dead")
    silence("worker-dead")
    with pytest.raises(PermissionDenied):
        report_tasks.report_retry(user=world.community2, report_id=report.pk)
    assert tasks_of(report) == ["RUNNING"]


def test_requesting_a_stuck_month_again_queues_it_instead_of_answering_with_the_stuck_row(
    world, report, django_capture_on_commit_callbacks
):
    claim(report, "worker-dead")
    silence("worker-dead")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_request(user=world.community, area=world.c1, month=date(2025, 3, 1))
    assert tasks_of(report) == ["FAILED", "READY"]
    assert again.pk == report.pk and again.status == MonthlyReport.Status.QUEUED
    assert AuditEvent.objects.filter(action="report_retry").count() == 1


# ---- the page --------------------------------------------------------------------------------------------------
def test_the_reports_page_says_the_worker_died_and_its_button_queues_the_report_again(
    world, report, client_for, django_capture_on_commit_callbacks
):
    client = client_for("community")
    # Given a report whose worker died while generating it
    claim(report, "worker-dead")
    silence("worker-dead")
    # When the community worker opens the reports page
    page = client.get(f"{PAGE}?area={world.c1.pk}").content.decode()
    # Then it says so, and offers to generate it again
    assert "生成失败" in page and "后台进程在生成时中断" in page
    assert f'action="/evaluation/reports/{report.pk}/retry/"' in page
    # When they press 重新生成
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/evaluation/reports/{report.pk}/retry/", follow=True)
    # Then the page says it was queued again, and the row is waiting (no button any more)
    text = answer.content.decode()
    assert "已重新提交" in text and "排队中" in text and "/retry/" not in text
    assert tasks_of(report) == ["FAILED", "READY"]
    # And pressing it again (an old tab) is refused with the reason, queuing nothing
    again = client.post(f"/evaluation/reports/{report.pk}/retry/", follow=True).content.decode()
    assert "通报正在生成" in again and tasks_of(report) == ["FAILED", "READY"]


def test_a_report_on_its_way_has_no_button_and_another_community_gets_404(world, report, client_for):
    claim(report, "worker-alive")
    beat("worker-alive", beating=True)
    page = client_for("community").get(f"{PAGE}?area={world.c1.pk}").content.decode()
    assert "生成中" in page and "/retry/" not in page
    assert client_for("community2").post(f"/evaluation/reports/{report.pk}/retry/").status_code == 404
