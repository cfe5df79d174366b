"""Faults on PostgreSQL: the database drops every connection mid-load; a worker is killed mid-task.

Real connections and real processes: PostgreSQL only. (Restarting the PostgreSQL server itself would disturb
every other database on it; what Linli sees of a restart — every connection terminated — is done here with
``pg_terminate_backend``.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobs.models import WorkerHeartbeat
from jobs.tests.tasks import hangs_on_first_claim
from jobs.workers import recover_orphaned_tasks
from linli.testing import api_client

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real connections"),
]

ROOT = Path(settings.BASE_DIR)


def terminate_every_connection() -> int:
    """What a database restart does to Linli: every session of its database is cut."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, autocommit=True,
    ) as admin:  # fmt: skip
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [db["NAME"]],
        ).fetchall()
    return len(rows)


def test_dropped_database_connections_give_a_503_then_the_next_request_recovers(world):
    client = api_client(world.community)
    assert client.get("/api/appeals/").status_code == 200
    # When the database cuts every connection (a restart, a failover)
    assert terminate_every_connection() >= 1
    # Then the request that finds its connection dead gets a clear 503 with Retry-After, not a 500
    failed = client.get("/api/appeals/")
    assert failed.status_code == 503 and failed["Retry-After"] == "5"
    assert "稍后再试" in failed.json()["detail"]
    # And the next request reconnects by itself: no restart of Linli
    assert client.get("/api/appeals/").status_code == 200


def test_a_worker_killed_mid_task_leaves_a_task_that_is_run_again(settings):
    # Given a task that a real worker process is running
    result = hangs_on_first_claim.using(priority=10).enqueue(seconds=300)
    env = {
        **os.environ,
        "DATABASE_URL": _url_of_this_database(),
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "PYTHONUNBUFFERED": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "default", "--interval", "0.2",
         "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # the worker imports Django first: slow on a busy machine
        while not WorkerHeartbeat.objects.filter(
            pid=worker.pid
        ).exists():  # it names itself as it starts the task
            assert time.monotonic() < deadline, "the worker never took the task"
            time.sleep(0.2)
        time.sleep(0.5)  # well inside the task
        # When the worker is killed in the middle of it
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == "RUNNING"  # what was left behind: RUNNING forever, before the detector
    assert WorkerHeartbeat.objects.filter(worker_id=task.worker_ids[-1], pid=worker.pid).exists()
    # Then the detector finds its worker gone and re-queues the task, and another worker runs it to the end
    assert recover_orphaned_tasks().requeued == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == 2


def _url_of_this_database() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
