"""Fault tests of the production stack (``make soak``; long, so not in ``make test``): PostgreSQL only.

Two gunicorn instances (each 2 processes) behind one nginx and two background workers on one database
(``deploy.stack``), then:

1. 1,000 concurrent 接单 on 100 shared dispatched appeals (ten callers each): every appeal accepted exactly once
   (one accept event), every other caller answered 409, nothing else; each recurring job ran at most once per
   period (``jobs.JobRun``).
2. 500 submissions by 16 clients while a web process (one instance's gunicorn master) and the worker running a
   slow task are killed with SIGKILL: every appeal whose POST answered 201 exists with its submit event, and the
   task the dead worker was running is run again by the other worker or recorded as failed, never left RUNNING.

Restarting PostgreSQL under load is ``soak_db_restart.py``'s part: it stops and starts a private cluster of its
own, as the machine's PostgreSQL server is shared with other test runs.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import psycopg
import pytest
import requests

from deploy.stack import Stack, create_database, database_url_named, drop_database, nginx_binary

BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES, reason="the fault tests run on PostgreSQL (DATABASE_URL=postgres://…)"
    ),
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (make install installs it)"),
]

SHARED_APPEALS = 100
CALLERS_EACH = 10
SUBMISSIONS = 500


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    name = urlparse(BASE_URL).path.lstrip("/") or "linli"
    url = database_url_named(BASE_URL, f"linli_soak_{name}"[:63])
    create_database(url)
    running = Stack(
        root=tmp_path_factory.mktemp("soak"),
        database_url=url,
        web_instances=2,
        web_workers=2,
        extra_env={"LINLI_INTAKE_RATE": "100000/min", "LINLI_LOGIN_RATE": "1000/min"},
    )
    try:
        with running.serving(workers=2, timeout=300):
            yield running
    finally:
        drop_database(url)


def sql(stack: Stack, query: str, *args) -> list[tuple]:
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(query, args).fetchall()


class Caller(threading.local):
    """Per thread: one keep-alive HTTPS session to nginx with the given token."""

    def __init__(self, stack: Stack, token: str) -> None:
        self.http = requests.Session()
        self.http.trust_env = False
        self.http.verify = str(stack.root / "tls" / "fullchain.pem")
        self.http.headers["Authorization"] = f"Token {token}"
        self.base = stack.site

    def post(self, path: str, body: dict) -> requests.Response:
        return self.http.post(self.base + path, json=body, timeout=60)


def each_with_its_event(stack: Stack, created: list[int], title_prefix: str) -> None:
    """Every appeal answered 201 is in the database with exactly one submit event, and no appeal of this load
    (titles beginning ``title_prefix``) is there without one: nothing half-written."""
    rows = sql(
        stack,
        "SELECT a.id, count(e.id) FROM appeals_appeal a LEFT JOIN appeals_appealevent e "
        "ON e.appeal_id = a.id AND e.action = 'submit' WHERE a.id = ANY(%s) GROUP BY a.id",
        created,
    )
    assert dict(rows) == {pk: 1 for pk in created}
    orphans = sql(
        stack,
        "SELECT count(*) FROM appeals_appeal a WHERE title LIKE %s AND NOT EXISTS "
        "(SELECT 1 FROM appeals_appealevent e WHERE e.appeal_id = a.id AND e.action = 'submit')",
        f"{title_prefix}%",
    )
    assert orphans == [(0,)]


def token(stack: Stack, username: str) -> str:
    answer = requests.post(
        stack.site + "/api/auth/token/",
        json={"username": username, "password": stack.seeded["password"]},
        verify=str(stack.root / "tls" / "fullchain.pem"),
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_a_thousand_concurrent_accepts_on_shared_appeals_apply_once_and_the_losers_get_409(stack):
    # Given 100 appeals dispatched to the property company
    out = stack.python(
        "from appeals import services\nfrom appeals.models import Channel\nfrom django.contrib.auth.models import User\n"
        "r, c = User.objects.get(username='resident'), User.objects.get(username='community')\n"
        "from units.models import Unit\nfrom areas.models import Building\nfrom categories.models import Category\n"
        "u, b, k = Unit.objects.get(code='U-PM1'), Building.objects.get(code='B1a'), Category.objects.get(code='STACK')\n"
        f"for i in range({SHARED_APPEALS}):\n"
        "    a = services.appeal_submit(user=r, title=f'共享 {i}', body='楼道灯不亮。', channel=Channel.APP, category=k, building=b)\n"
        "    print(services.appeal_dispatch(user=c, appeal_id=a.pk, unit=u).pk)\n"
    )
    appeals = [int(x) for x in out.split()]
    unit = threading.local()
    unit_token = token(stack, "unit")
    # When ten callers per appeal accept it at once, through both web instances (1,000 requests, 32 at a time)
    attempts = [pk for pk in appeals for _ in range(CALLERS_EACH)]
    random.shuffle(attempts)

    def accept(pk: int) -> tuple[int, int]:
        if not hasattr(unit, "caller"):
            unit.caller = Caller(stack, unit_token)
        return pk, unit.caller.post(f"/api/appeals/{pk}/accept/", {}).status_code

    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(accept, attempts))
    # Then each appeal was accepted exactly once and every other caller was told 409
    statuses: dict[int, list[int]] = {}
    for pk, status in answers:
        statuses.setdefault(pk, []).append(status)
    assert all(sorted(s) == [200] + [409] * (CALLERS_EACH - 1) for s in statuses.values()), {
        pk: s for pk, s in statuses.items() if sorted(s) != [200] + [409] * (CALLERS_EACH - 1)
    }
    events = dict(
        sql(
            stack,
            "SELECT appeal_id, count(*) FROM appeals_appealevent WHERE action = 'accept' AND appeal_id = ANY(%s) "
            "GROUP BY appeal_id",
            appeals,
        )
    )
    assert events == {pk: 1 for pk in appeals}
    # And no recurring job ran twice for one period on the two workers
    twice = sql(
        stack,
        "SELECT job, scheduled_for, count(*) FROM jobs_jobrun WHERE status = 'succeeded' "
        "GROUP BY job, scheduled_for HAVING count(*) > 1",
    )
    assert twice == [] and sql(stack, "SELECT count(*) FROM jobs_jobrun WHERE status = 'succeeded'")[0][0] > 0


def wait_for(check, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s")


def test_killing_a_web_process_and_a_busy_worker_during_500_submissions_loses_nothing(stack):
    seeded = stack.seeded
    # Given a slow task running on one of the two workers
    task_id = stack.python(
        "from deploy.soak.tasks import slow_task\nprint(slow_task.enqueue(seconds=20).id)"
    ).strip()
    claimed = wait_for(
        lambda: sql(
            stack,
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s AND status = 'RUNNING'",
            task_id,
        ),
        120,
    )
    busy = claimed[0][0][-1]
    busy_worker = next(
        name for name in stack.procs if name.startswith("worker") and busy in stack.procs[name].args
    )
    resident = token(stack, "resident")
    local = threading.local()
    done = threading.Event()
    progress = {"n": 0}
    lock = threading.Lock()

    def submit(i: int) -> tuple[int, int | None]:
        if not hasattr(local, "caller"):
            local.caller = Caller(stack, resident)
        body = {"title": f"故障压测 {i}", "body": "三楼楼道灯不亮。", "building": seeded["building"],
                "category": seeded["category"]}  # fmt: skip
        try:
            answer = local.caller.post("/api/appeals/", body)
            status, pk = answer.status_code, (answer.json().get("id") if answer.status_code == 201 else None)
        except requests.RequestException:
            status, pk = 0, None
        with lock:
            progress["n"] += 1
            if progress["n"] >= SUBMISSIONS // 3:
                done.set()
        # A moment before the next, as a client would: nginx counts both instances failed for the second of the
        # kills (502 at once, "no live upstreams"), and 16 clients would spend every submission left in it.
        if status != 201:
            time.sleep(0.2)
        return status, pk

    def killer() -> None:
        done.wait(300)
        victim = random.choice(stack.gunicorn_children(2))
        os.kill(victim, signal.SIGKILL)  # one web process of instance 2 (its master starts another)
        stack.kill("web1")  # instance 1's gunicorn master, SIGKILL: its processes go, nginx uses instance 2
        stack.kill(busy_worker)  # the worker running the slow task, SIGKILL

    # When 500 submissions run while a web process, a web instance and the busy worker are killed
    chaos = threading.Thread(target=killer)
    chaos.start()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(submit, range(SUBMISSIONS)))
    chaos.join()
    created = [pk for status, pk in answers if status == 201]
    # Then every submission answered 201 is there with its submit event (others may fail, none half-written)
    assert len(created) >= SUBMISSIONS // 2, {s for s, _ in answers}
    each_with_its_event(stack, created, "故障压测")
    # And the dead worker's task is run again by the other worker, or recorded as failed: never left RUNNING
    final = wait_for(
        lambda: sql(
            stack,
            "SELECT status, worker_ids, exception_class_path FROM django_tasks_database_dbtaskresult "
            "WHERE id = %s AND status IN ('SUCCESSFUL', 'FAILED')",
            task_id,
        ),
        420,
        every=3,
    )
    status, workers, exception = final[0]
    assert (status == "SUCCESSFUL" and len(workers) == 2 and workers[0] == busy) or (
        status == "FAILED" and exception.endswith("WorkerLost")
    ), final
    # And the stack still serves: the surviving instance answers, /healthz (worker part) recovers
    assert stack.healthz()[0] in (200, 503)
