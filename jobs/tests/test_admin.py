"""The operator reads the background work in the administration pages; nobody edits it there."""

from __future__ import annotations

import pytest

from jobs.tests.tasks import FLAKY, run_worker
from linli import schedule

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_sees_each_job_its_runs_and_the_workers(world, client_for, test_jobs):
    # Given the flaky job ran once and failed
    schedule.ensure(FLAKY)
    from jobs.tests import tasks

    tasks.PLAN["fail"] = 1
    run_worker()
    client = client_for("admin")
    # Then the job's page names it with its period and counts the failure
    page = client.get("/admin/jobs/jobstate/").content.decode()
    assert "测试任务" in page and "每 5 分钟" in page
    runs = client.get("/admin/jobs/jobrun/").content.decode()
    assert "网关超时" in runs and "失败" in runs
    assert client.get("/admin/jobs/workerheartbeat/").status_code == 200
    # And nothing there can be changed by hand
    assert client.get("/admin/jobs/jobstate/add/").status_code == 403


def test_staff_who_are_not_administrators_do_not_see_it(world, client_for):
    assert client_for("community").get("/admin/jobs/jobrun/").status_code == 403
