"""Fault test of the production stack (``make soak``): PostgreSQL restarted under load.

The machine's PostgreSQL server is shared with other test runs, so this test starts a private cluster of its own
(Debian's ``/usr/lib/postgresql/<version>/bin``, as the ``postgres`` user when run as root, trust auth on
127.0.0.1 and a free port, everything in one temporary folder removed at the end). The stack of ``deploy.stack``
(nginx → one gunicorn instance of two processes → that cluster, one worker) takes submissions from 12 clients and
``GET /healthz`` from a monitor while PostgreSQL is stopped (``pg_ctl stop -m fast``), left down for
``OUTAGE_SECONDS`` and started again. Then:

- every answer, before, during and after the outage, is a 201 or a 503 with ``Retry-After`` (never a 500, a 502,
  a 504 or a connection reset), and every answer given while the database was down is a 503 — at once, once each
  web process has noticed (at its first pool timeout at the latest), not after waiting ``DB_POOL_TIMEOUT``;
- ``/healthz`` answers 503 naming the database while it is down, and 200 again after;
- within ``RECOVERY_SECONDS`` of the restart submissions succeed again, with no Linli process restarted (the
  gunicorn master, its processes and the worker keep their process ids);
- every appeal whose POST answered 201 exists with its submit event, and none exists without one;
- the worker survived: it beats again and a task queued after the restart runs.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from deploy.soak.soak_faults import Caller, each_with_its_event, sql, token, wait_for
from deploy.stack import Stack, create_database, free_port, nginx_binary

CLIENTS = 12
POOL_TIMEOUT = 10  # DB_POOL_TIMEOUT's default: a web process notices the outage within it, at the latest
OUTAGE_SECONDS = 2 * POOL_TIMEOUT
RECOVERY_SECONDS = 30
PROMPT_SECONDS = 3  # once the outage is noticed, a 503 comes at once, not after the pool's timeout
PAUSE, PAUSE_AFTER_503 = 0.05, 0.5  # each client's pauses: load without recycling gunicorn (--max-requests)


def postgres_bin() -> Path | None:
    found = sorted(
        (
            p
            for p in Path("/usr/lib/postgresql").glob("*/bin")
            if (p / "initdb").exists() and (p / "pg_ctl").exists()
        ),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _run_as() -> list[str] | None:
    """The prefix that runs PostgreSQL's programs as a user they accept (they refuse root), or None."""
    if os.getuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else None


BIN, RUN_AS = postgres_bin(), _run_as()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        BIN is None, reason="PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin)"
    ),
    pytest.mark.skipif(
        RUN_AS is None, reason="running as root, and there is no postgres user (or runuser) to run initdb as"
    ),
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (make install installs it)"),
]


@dataclass
class Cluster:
    """A throw-away PostgreSQL cluster in its own folder, on 127.0.0.1 and a free port."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="linli-pg-restart-")))
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        if os.getuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self.folder, 0o700)

    def pg(self, program: str, *args: str, timeout: float = 120) -> None:
        assert BIN is not None and RUN_AS is not None
        result = subprocess.run(
            [*RUN_AS, str(BIN / program), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}"
            )

    def log(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def init(self) -> None:
        self.pg(
            "initdb", "-D", "data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg("pg_ctl", "-D", "data", "-l", "postgres.log", "-w", "-t", "60", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg("pg_ctl", "-D", "data", "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def cluster():
    running = Cluster()
    try:
        running.init()
        running.start()
        yield running
    finally:
        running.remove()


@pytest.fixture(scope="module")
def stack(cluster, tmp_path_factory):
    url = cluster.url("linli_restart")
    create_database(url)
    running = Stack(
        root=tmp_path_factory.mktemp("restart"),
        database_url=url,
        web_instances=1,
        web_workers=2,
        extra_env={
            "LINLI_INTAKE_RATE": "100000/min",
            "LINLI_LOGIN_RATE": "1000/min",
            "DB_POOL_TIMEOUT": str(POOL_TIMEOUT),
        },
    )
    with running.serving(workers=1, timeout=300):
        yield running


@dataclass
class Answer:
    sent: float
    answered: float
    status: int  # 0: no HTTP answer (the error says what happened)
    retry_after: str | None = None
    pk: int | None = None
    failing: tuple[str, ...] = ()
    error: str = ""


def processes(stack: Stack) -> dict[str, int]:
    """Every Linli process's id: the gunicorn master, its processes, the worker."""
    found = {name: proc.pid for name, proc in stack.procs.items() if name != "nginx"}
    found.update({f"web1-child-{pid}": pid for pid in stack.gunicorn_children(1)})
    return found


def test_a_database_restart_under_load_is_503_with_retry_after_and_linli_recovers_by_itself(cluster, stack):
    seeded = stack.seeded
    resident = token(stack, "resident")
    before = processes(stack)
    stop = threading.Event()
    answers: list[Answer] = []
    health: list[Answer] = []
    lock = threading.Lock()

    def submitter(n: int) -> None:
        caller = Caller(stack, resident)
        i = 0
        while not stop.is_set():
            i += 1
            body = {"title": f"重启压测 {n}-{i}", "body": "三楼楼道灯不亮。", "building": seeded["building"],
                    "category": seeded["category"]}  # fmt: skip
            sent = time.monotonic()
            try:
                r = caller.post("/api/appeals/", body)
                pk = r.json().get("id") if r.status_code == 201 else None
                answer = Answer(sent, time.monotonic(), r.status_code, r.headers.get("Retry-After"), pk,
                                error="" if r.status_code in (201, 503) else r.text[:300])  # fmt: skip
            except (requests.RequestException, ValueError) as exc:
                answer = Answer(sent, time.monotonic(), 0, error=repr(exc))
            with lock:
                answers.append(answer)
            time.sleep(PAUSE_AFTER_503 if answer.status == 503 else PAUSE)

    def monitor() -> None:
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status, body = stack.healthz(timeout=90)
                answer = Answer(sent, time.monotonic(), status, failing=tuple(body.get("failing", ())))
            except OSError as exc:
                answer = Answer(sent, time.monotonic(), 0, error=repr(exc))
            with lock:
                health.append(answer)
            time.sleep(0.5)

    threads = [threading.Thread(target=submitter, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=monitor))
    for thread in threads:
        thread.start()
    try:
        # Given submissions flowing
        wait_for(lambda: sum(a.status == 201 for a in answers) >= 50, 60, every=0.2)
        # When PostgreSQL stops (fast: its sessions are cut) and comes back after OUTAGE_SECONDS
        cluster.stop("fast")
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        restarting = time.monotonic()
        cluster.start()
        up = time.monotonic()
        [(back,)] = sql(stack, "SELECT now()")
        # Then submissions succeed again within RECOVERY_SECONDS, and keep succeeding
        first_ok = wait_for(
            lambda: min((a.answered for a in answers if a.status == 201 and a.sent > up), default=None),
            RECOVERY_SECONDS,
            every=0.2,
        )
        time.sleep(5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
    print(
        f"\n{len(answers)} submissions ({sum(a.status == 201 for a in answers)} created, "
        f"{sum(a.status == 503 for a in answers)} answered 503); first success {first_ok - up:.1f} s after the "
        f"restart; {len(health)} health checks"
    )
    # Every answer was a 201 or a 503 with Retry-After: no 500, no 502/504 from nginx, no reset connection
    wrong = [a for a in answers if a.status not in (201, 503) or (a.status == 503 and not a.retry_after)]
    assert not wrong, wrong[:5]
    # Every answer given while the database was down was a 503, and there were such answers
    during = [a for a in answers if down < a.answered < restarting]
    assert during and all(a.status == 503 for a in during), [a for a in during if a.status != 503][:5]
    # and promptly, once noticed: no request holds a thread for the pool's timeout while the server is away
    noticed = down + POOL_TIMEOUT + 2  # each web process notices it at its first pool timeout, at the latest
    slow = [
        round(a.answered - a.sent, 1)
        for a in during
        if a.sent > noticed and a.answered - a.sent > PROMPT_SECONDS
    ]
    assert not slow and len(during) >= 2 * CLIENTS, (slow, len(during))
    # /healthz named the database while it was down, and is 200 again after
    timeline = [
        (round(h.sent - down, 1), round(h.answered - down, 1), h.status, h.failing, h.error) for h in health
    ]
    assert any(
        h.status == 503 and "database" in h.failing for h in health if down < h.answered < restarting
    ), timeline
    assert all(h.status in (200, 503) for h in health), [h for h in health if h.status not in (200, 503)]
    wait_for(lambda: stack.healthz(timeout=60)[0] == 200, RECOVERY_SECONDS)
    # Once back, the last seconds' submissions all succeeded
    last = [a for a in answers if a.sent > first_ok + 1]
    assert last and all(a.status == 201 for a in last), {a.status for a in last}
    # No Linli process was restarted
    assert all(proc.poll() is None for proc in stack.procs.values()), {
        n: p.poll() for n, p in stack.procs.items()
    }
    assert processes(stack) == before
    # Every appeal answered 201 is there with its submit event; none is there without one
    created = [a.pk for a in answers if a.status == 201]
    each_with_its_event(stack, created, "重启压测")
    # The worker survived the outage: its heartbeat is newer than the restart, and a task queued now runs
    wait_for(lambda: sql(stack, "SELECT 1 FROM jobs_workerheartbeat WHERE last_seen > %s", back), 30)
    task_id = stack.python(
        "from deploy.soak.tasks import slow_task\nprint(slow_task.enqueue(seconds=0).id)"
    ).strip()
    final = wait_for(
        lambda: sql(
            stack,
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s AND status IN ('SUCCESSFUL', 'FAILED')",
            task_id,
        ),
        60,
    )
    assert final == [("SUCCESSFUL",)], (final, stack.log_tail("worker1"))
    assert stack.procs["worker1"].poll() is None, stack.log_tail("worker1")
