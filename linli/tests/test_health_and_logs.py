"""/healthz names the failing part; every request writes one JSON log line with its id, user, path, status and
duration."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import WorkerHeartbeat
from jobs.workers import beat
from linli import clock
from linli.health import SWEEP_TASK
from linli.logs import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


def task_row(path: str, status: str, **times) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=times.pop("run_after", clock.now()),
        **times,
    )


def test_healthy_when_the_sweep_ran_recently_and_no_task_waits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    beat("worker-1", beating=True)
    task_row(SWEEP_TASK, "SUCCESSFUL", finished_at=clock.now() - timedelta(minutes=3))
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "migrations", "sweep", "worker", "media"}


def test_a_sweep_that_never_ran_or_stopped_long_ago_is_named(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    beat("worker-1", beating=True)
    never = Client().get("/healthz")
    assert never.status_code == 503 and never.json()["failing"] == ["sweep"]
    assert "从未成功运行" in never.json()["checks"]["sweep"]["detail"]
    task_row(SWEEP_TASK, "SUCCESSFUL", finished_at=clock.now() - timedelta(hours=2))
    stale = Client().get("/healthz").json()
    assert stale["failing"] == ["sweep"] and "120 分钟前" in stale["checks"]["sweep"]["detail"]


def test_a_dead_worker_and_unwritable_media_are_named(settings, tmp_path):
    beat("worker-1", beating=True)
    task_row(SWEEP_TASK, "SUCCESSFUL", finished_at=clock.now())
    task_row("evaluation.tasks.generate_report_task", "READY", run_after=clock.now() - timedelta(minutes=30))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    settings.MEDIA_ROOT = blocked
    body = Client().get("/healthz").json()
    assert body["failing"] == ["worker", "media"]
    assert "1 个后台任务" in body["checks"]["worker"]["detail"]


def test_a_worker_whose_heartbeat_stopped_or_never_started_is_named(settings, tmp_path):
    # Given a healthy instance except for its workers
    settings.MEDIA_ROOT = tmp_path
    task_row(SWEEP_TASK, "SUCCESSFUL", finished_at=clock.now())
    # When no jobs_worker ever beat (a plain db_worker's one-off beat does not count): 503 naming the worker
    beat("plain-db-worker", beating=False)
    never = Client().get("/healthz")
    assert never.status_code == 503 and never.json()["failing"] == ["worker"]
    assert "没有后台进程的心跳" in never.json()["checks"]["worker"]["detail"]
    # When the last heartbeat is older than the bound (90 s): 503 saying how long ago
    beat("worker-1", beating=True)
    WorkerHeartbeat.objects.filter(worker_id="worker-1").update(
        last_seen=timezone.now() - timedelta(seconds=300)
    )
    stale = Client().get("/healthz")
    assert stale.status_code == 503 and stale.json()["failing"] == ["worker"]
    assert "300 秒前" in stale.json()["checks"]["worker"]["detail"]
    # When another worker beats now: healthy again
    beat("worker-2", beating=True)
    fresh = Client().get("/healthz")
    assert fresh.status_code == 200, fresh.json()
    assert "秒前有心跳" in fresh.json()["checks"]["worker"]["detail"]


def test_every_request_writes_one_json_line_with_its_id(world, client_for, caplog):
    caplog.set_level(logging.INFO, logger="linli.request")
    response = client_for("community").get("/appeals/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    (record,) = [r for r in caplog.records if r.name == "linli.request"]
    RequestContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc-123" and line["user_id"] == world.community.pk
    assert line["path"] == "/appeals/" and line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and line["time"].endswith("+08:00")


def test_an_offered_request_id_that_is_not_plain_is_replaced(db):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_a_database_found_away_is_named_at_once_and_its_dependants_are_not_checked(
    settings, tmp_path, monkeypatch
):
    from linli import overload

    settings.MEDIA_ROOT = tmp_path
    away = overload.Outage()
    away.since, away.checked, away.detail = (
        1.0,
        1e12,
        "Connection refused",
    )  # found away by a request just now
    monkeypatch.setattr("linli.health.OUTAGE", away)
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["failing"] == ["database"]
    assert "Connection refused" in body["checks"]["database"]["detail"]
    assert {name: body["checks"][name]["ok"] for name in ("migrations", "sweep", "worker", "media")} == {
        "migrations": None,
        "sweep": None,
        "worker": None,
        "media": True,
    }
