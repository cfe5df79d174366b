"""The monthly report: PDF that reads in Chinese (page one rendered to a picture), a workbook with a table per
section, the worker task and its monthly schedule, the command, and the grid shapes the map draws."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from evaluation.models import MonthlyReport
from evaluation.tests.stories import make_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_stories(world, random_count=4)


def test_command_writes_a_pdf_whose_first_page_is_not_blank_and_a_workbook(world, stories, tmp_path):
    # when
    call_command("monthly_report", month="2025-03", area="D", out=str(tmp_path))
    pdf = tmp_path / "D-2025-03.pdf"
    book = load_workbook(tmp_path / "D-2025-03.xlsx")
    # then: the workbook has one Excel table per section
    assert book.sheetnames[:1] == ["主要指标"]
    assert {"街道排名", "承办单位排名", "红黑榜", "超时诉求", "居民评价"} <= set(book.sheetnames)
    assert all(len(book[n].tables) == 1 for n in book.sheetnames)
    assert book["主要指标"]["A4"].value == "响应率" and book["主要指标"]["B4"].number_format == "0.0%"
    # then: page one rendered by poppler has ink on it (the CJK font is embedded and drawn)
    assert shutil.which("pdftoppm"), "poppler-utils is missing: run make system-deps"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(png).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.003 * image.width * image.height  # a blank page (or boxes without glyphs) has almost none
    text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "评单通报" in text and "响应率" in text and "东湖街道" in text


def test_bad_month_or_area_is_a_clear_command_error(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", month="03/2025", out=str(tmp_path))
    with pytest.raises(CommandError, match="找不到区域"):
        call_command("monthly_report", month="2025-03", area="NOPE", out=str(tmp_path))


def test_staff_request_a_report_the_worker_generates_and_keeps_it(
    world, stories, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for("subdistrict")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/evaluation/reports/", {"area": world.s1.pk, "month": "2025-03"}, follow=True)
    assert response.status_code == 200
    report = MonthlyReport.objects.get(area=world.s1, month=date(2025, 3, 1))
    assert report.status == "done" and report.pdf and report.xlsx
    assert client.get(f"/evaluation/reports/{report.pk}/pdf/").status_code == 200
    assert client_for("community2").get(f"/evaluation/reports/{report.pk}/pdf/").status_code == 404
    from audit.models import AuditEvent

    assert (
        AuditEvent.objects.filter(
            object_id=str(report.pk), action__in=["report_request", "report_done"]
        ).count()
        == 2
    )
    # a future month is refused with a message
    response = client.post("/evaluation/reports/", {"area": world.s1.pk, "month": "2999-01"}, follow=True)
    assert "将来" in response.content.decode()


def test_monthly_job_queues_last_months_reports_and_reschedules_itself(world, settings):
    from django_tasks_db.models import DBTaskResult

    from evaluation.tasks import TASK_PATH, schedule_monthly_reports

    assert schedule_monthly_reports() is True
    assert schedule_monthly_reports() is False  # one is waiting
    waiting = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    from django.utils import timezone

    local = timezone.localtime(waiting.run_after)
    assert (local.day, local.hour, local.minute) == (1, 2, 0)  # 02:00 on the first, Shanghai time


def test_community_staff_publish_a_report_on_their_notice_board(
    world, stories, settings, django_capture_on_commit_callbacks
):
    from evaluation import services
    from notices.models import Notice

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.community, area=world.c1, month=date(2025, 3, 1))
    report.refresh_from_db()
    assert report.status == "done"
    notices = services.report_publish(user=world.community, report_id=report.pk)
    assert [n.community for n in notices] == [world.c1]
    notice = Notice.objects.get(subject_type="evaluation.monthlyreport", subject_id=report.pk)
    assert "响应率" in notice.body and "张秀英" not in notice.body


def test_grid_shapes_do_not_overlap(world):
    from evaluation.shapes import draw_grids, layout

    shapes = layout(world.d)
    assert set(shapes) == {world.g1a.pk, world.g1b.pk, world.g2a.pk}
    boxes = []
    for poly in shapes.values():
        xs = [p[0] for p in poly["coordinates"][0]]
        ys = [p[1] for p in poly["coordinates"][0]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
    assert draw_grids(world.d) == 3 and draw_grids(world.d) == 0
