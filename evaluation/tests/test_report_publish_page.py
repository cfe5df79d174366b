"""Publishing a monthly report on the notice board from the 评单通报 page: the button asks first (data-confirm), and
the POST reaches the publish view (it used to be taken by the file route, ``reports/<pk>/<kind>/``, and 404)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve

from evaluation import services
from evaluation.models import MonthlyReport
from notices.models import Notice

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def report(world, settings, tmp_path, clock_at):
    """Community 幸福社区's report of November 2026, generated (PDF and Excel) and not yet published."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clock_at(NOW)
    queued = services.report_request(
        user=world.community, area=world.c1, month=date(2026, 11, 1), enqueue=False
    )
    return services.report_generate(report_id=queued.pk)


def test_the_publish_url_is_the_publish_view_not_a_file_download():
    assert resolve("/evaluation/reports/7/publish/").url_name == "evaluation-report-publish"
    assert resolve("/evaluation/reports/7/pdf/").url_name == "evaluation-report-file"


def test_community_staff_publish_a_monthly_report_on_their_notice_board(world, report, client_for):
    # given: the community worker opens the reports of their community
    client = client_for("community")
    page = client.get(f"/evaluation/reports/?area={world.c1.pk}").content.decode()
    # then: the publish button asks before it publishes
    form = re.search(r'<form method="post" action="(/evaluation/reports/\d+/publish/)".*?</form>', page, re.S)
    assert form, "no publish form on the reports page"
    assert form.group(1) == f"/evaluation/reports/{report.pk}/publish/"
    assert re.search(r'<button[^>]*data-confirm="[^"]*公示栏[^"]*"[^>]*>在公示栏发布</button>', form.group(0))
    assert not Notice.objects.filter(subject_type="evaluation.monthlyreport").exists()

    # when: they confirm and the form is sent
    response = client.post(form.group(1), follow=True)

    # then: the notice is on their board and the report says so
    assert response.status_code == 200
    assert "已在 1 个社区公示栏发布" in response.content.decode()
    notice = Notice.objects.get(subject_type="evaluation.monthlyreport", subject_id=report.pk)
    assert notice.community == world.c1 and notice.title == "2026年11月 评单通报"
    report.refresh_from_db()
    assert report.published_at is not None and report.published_at >= NOW
    assert "已公示" in client.get(f"/evaluation/reports/?area={world.c1.pk}").content.decode()


def test_staff_of_another_community_cannot_publish_it(world, report, client_for):
    # when: the staff of 和平社区 send the publish form of 幸福社区's report
    client = client_for("community2")
    client.post(f"/evaluation/reports/{report.pk}/publish/")
    # then: nothing is published
    assert not Notice.objects.filter(subject_type="evaluation.monthlyreport").exists()
    assert MonthlyReport.objects.get(pk=report.pk).published_at is None
