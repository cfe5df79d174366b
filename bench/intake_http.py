"""Intake and the appeal loop over real HTTP: nginx → gunicorn with several workers → PostgreSQL, concurrent clients.

Run by ``bench/run.py`` with ``DATABASE_URL`` naming a fresh PostgreSQL database (on SQLite it says so and
prints nothing: several processes writing one SQLite file measure the file lock, not Linli). Steps:

1. migrate; build the named test world; issue API tokens for the resident and the property company's staff;
   queue ``BENCH_LOOP_APPEALS`` appeals already dispatched to the property company (for the loop part);
2. start the production stack as ``deploy/`` describes it (``deploy.stack``: the environment file's settings, DEBUG
   off; gunicorn with the web unit's arguments, ``BENCH_WEB_WORKERS`` processes × ``BENCH_WEB_THREADS`` threads,
   ``DB_POOL_MAX`` = threads, on a socket; one background worker; Debian's nginx with the site file, TLS on a
   free local port); it must answer ``/healthz`` with 200 before the clock starts;
3. ``BENCH_CLIENTS`` client threads (keep-alive HTTPS connections to nginx) POST ``/api/appeals/`` for ``BENCH_SECONDS``
   seconds after a warm-up: ``intake.http.per_second`` (201 answers a second), ``intake.http.p95_ms``;
4. the same clients walk the dispatched appeals through accept → complete → rate (three POSTs each):
   ``loop.http.per_second`` (whole loops a second), ``loop.http.p95_ms`` (one transition's p95);
5. pgbench, one-row INSERT transactions at the same concurrency for ``BENCH_PGBENCH_SECONDS``:
   ``pg.insert.tps``; ``intake.ratio_to_pg_insert`` and ``loop.ratio_to_pg_insert`` are the HTTP rates as a
   fraction of it (a loop counts its three transitions).

Any answer other than the expected status is counted and reported on stderr (and fails the run if more than
1 % of requests): a benchmark that hides 500s measures nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault("LINLI_INTAKE_RATE", "1000000/min")  # one resident files thousands here

WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))  # as deploy/linli-web.service: one per core
WEB_THREADS = int(os.environ.get("BENCH_WEB_THREADS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WARMUP_SECONDS = 5.0
LOOP_APPEALS = int(os.environ.get("BENCH_LOOP_APPEALS", "300"))
PGBENCH_SECONDS = int(os.environ.get("BENCH_PGBENCH_SECONDS", "10"))
MAX_ERROR_SHARE = 0.01


def log(message: str) -> None:
    print(f"[intake_http] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float) -> None:
    print(f"BENCH {name} {value:.4f}" if value < 1 else f"BENCH {name} {value:.1f}", flush=True)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# ---- the world, in this process ------------------------------------------------------------------------------
def prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    from access.tokens import token_issue
    from appeals import services
    from appeals.models import Channel
    from categories.models import Category
    from linli.testing import build_world

    call_command("migrate", verbosity=0, interactive=False)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        w = build_world()
    category = Category.objects.create(
        code="BENCH", name="压测类别", contact_hours=24, resolve_working_days=5
    )
    t0 = time.perf_counter()
    dispatched = []
    for i in range(LOOP_APPEALS):
        appeal = services.appeal_submit(
            user=w.resident,
            title=f"楼道灯坏了（流程 {i}）",
            body="三楼楼道灯不亮。",
            channel=Channel.APP,
            category=category,
            building=w.b1a,
        )
        dispatched.append(services.appeal_dispatch(user=w.community, appeal_id=appeal.pk, unit=w.pm1).pk)
    log(f"{LOOP_APPEALS} dispatched appeals in {time.perf_counter() - t0:.1f} s")
    from django.db import connection

    connection.close()
    return {
        "resident": token_issue(user=w.resident, name="bench")[1],
        "unit": token_issue(user=w.unit, name="bench")[1],
        "building": w.b1a.pk,
        "category": category.pk,
        "dispatched": dispatched,
    }


# ---- the stack -------------------------------------------------------------------------------------------------
def start_stack(workdir: Path):
    from deploy.stack import Stack

    stack = Stack(
        root=workdir,
        database_url=os.environ["DATABASE_URL"],
        web_workers=WEB_WORKERS,
        web_threads=WEB_THREADS,
        **{
            k: os.environ[v]
            for k, v in (("secret_key", "SECRET_KEY"), ("data_key", "LINLI_DATA_KEY"))
            if v in os.environ
        },
        extra_env={
            "LINLI_INTAKE_RATE": os.environ["LINLI_INTAKE_RATE"],
            "LOG_LEVEL": "WARNING",
            "LINLI_REQUEST_LOG_LEVEL": "WARNING",  # one log line a request would be measured too
        },
    )
    stack.start(workers=1)
    try:
        stack.wait_healthy(timeout=300)  # each process imports Django and the apps: slow on a loaded machine
    except RuntimeError:
        stack.stop()
        raise
    return stack


# ---- the clients ---------------------------------------------------------------------------------------------
class Client:
    """One keep-alive HTTPS connection to nginx, as a resident's app or a unit's system would hold it."""

    def __init__(self, stack, token: str) -> None:
        self.port, self.token, self.context = stack.https_port, token, stack.ssl_context()
        self.conn = self.connect()

    def connect(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=self.context)

    def post(self, path: str, body: dict) -> tuple[int, float, bytes]:
        headers = {
            "Authorization": f"Token {self.token}",
            "Content-Type": "application/json",
        }
        started = time.perf_counter()
        failure = ""
        for attempt in (1, 2):
            try:
                self.conn.request("POST", path, body=json.dumps(body).encode(), headers=headers)
                response = self.conn.getresponse()
                return response.status, (time.perf_counter() - started) * 1000, response.read()
            except OSError as exc:
                failure = type(exc).__name__
                self.conn.close()
                self.conn = self.connect()
                # Only a keep-alive connection the server closed while idle (before reading this request) is
                # sent again, once; anything else counts as a failed request.
                if attempt == 2 or not isinstance(
                    exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
                ):
                    break
        log(f"{path}: no answer ({failure})")
        return 0, (time.perf_counter() - started) * 1000, b""


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[float] = []
        self.done = 0
        self.errors: dict[int, int] = {}

    def add(self, ok: bool, status: int, ms: float, measuring: bool) -> None:
        with self.lock:
            if not ok:
                self.errors[status] = self.errors.get(status, 0) + 1
            elif measuring:
                self.samples.append(ms)


def drive(clients: int, work: Callable[[int, Callable[[], bool]], None]) -> float:
    """Run ``work(n, measuring)`` on ``clients`` threads; returns the measured window in seconds."""
    start = time.perf_counter()
    window = {"from": start + WARMUP_SECONDS, "to": start + WARMUP_SECONDS + SECONDS}

    def measuring() -> bool:
        now = time.perf_counter()
        if now >= window["to"]:
            raise StopIteration
        return now >= window["from"]

    threads = [threading.Thread(target=work, args=(n, measuring)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return min(SECONDS, max(0.001, time.perf_counter() - window["from"]))


def run_intake(stack, world: dict) -> tuple[float, float, Tally]:
    tally = Tally()

    def work(n: int, measuring: Callable[[], bool]) -> None:
        client = Client(stack, world["resident"])
        i = 0
        try:
            while True:
                inside = measuring()
                i += 1
                body = {"title": f"楼道灯坏了（压测 {n}-{i}）", "body": "三楼楼道灯不亮，晚上上下楼很不方便。",
                        "building": world["building"], "category": world["category"]}  # fmt: skip
                status, ms, _ = client.post("/api/appeals/", body)
                tally.add(status == 201, status, ms, inside)
        except StopIteration:
            return

    seconds = drive(CLIENTS, work)
    return len(tally.samples) / seconds, percentile(tally.samples, 95), tally


def run_loop(stack, world: dict) -> tuple[float, float, Tally]:
    tally = Tally()
    queue = list(world["dispatched"])
    lock = threading.Lock()
    loops = {"n": 0, "first": None, "last": None}

    def work(n: int, measuring: Callable[[], bool]) -> None:
        unit, resident = Client(stack, world["unit"]), Client(stack, world["resident"])
        while True:
            with lock:
                if not queue:
                    return
                pk = queue.pop()
            started = time.perf_counter()
            steps = [
                (unit, f"/api/appeals/{pk}/accept/", {}),
                (unit, f"/api/appeals/{pk}/complete/", {"report": "已更换灯泡并检查线路。"}),
                (resident, f"/api/appeals/{pk}/rate/", {"resolved": True, "satisfaction": "satisfied"}),
            ]
            ok = True
            for client, path, body in steps:
                status, ms, _ = client.post(path, body)
                tally.add(status == 200, status, ms, True)
                ok = ok and status == 200
            with lock:
                loops["n"] += ok
                loops["first"] = loops["first"] or started
                loops["last"] = time.perf_counter()

    drive_all(CLIENTS, work)
    seconds = max(0.001, (loops["last"] or 0) - (loops["first"] or 0))
    return loops["n"] / seconds, percentile(tally.samples, 95) if tally.samples else 0.0, tally


def drive_all(clients: int, work: Callable) -> None:
    threads = [threading.Thread(target=work, args=(n, None)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# ---- pgbench ---------------------------------------------------------------------------------------------------
def pgbench_insert_tps() -> float:
    from django.db import connection

    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_one_row (id bigserial PRIMARY KEY, v int, at timestamptz DEFAULT now())"
        )
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_one_row (v) VALUES (1);\n")
    command = ["pgbench", "-n", "-c", str(CLIENTS), "-j", "2", "-T", str(PGBENCH_SECONDS), "-f", script.name]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    command.append(db["NAME"])
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(
        r"tps = ([\d.]+)", out
    )
    if not match:
        raise SystemExit(f"pgbench printed no tps:\n{out}")
    return float(match.group(1))


def report_errors(name: str, tally: Tally, total: int) -> bool:
    failed = sum(tally.errors.values())
    if failed:
        log(f"{name}: {failed} unexpected answers {tally.errors} of {total}")
    return failed <= MAX_ERROR_SHARE * max(1, total)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        log("PostgreSQL only (several gunicorn processes on one SQLite file measure its lock); skipped")
        return 0
    world = prepare()
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-stack-"))
    log(
        f"nginx → gunicorn {WEB_WORKERS}×{WEB_THREADS} → PostgreSQL, one worker, {CLIENTS} clients; logs in {workdir / 'log'}"
    )
    stack = start_stack(workdir)
    try:
        intake_rate, intake_p95, intake_tally = run_intake(stack, world)
        loop_rate, loop_p95, loop_tally = run_loop(stack, world)
    finally:
        stack.stop()
    pg_tps = pgbench_insert_tps()
    bench("intake.http.per_second", intake_rate)
    bench("intake.http.p95_ms", intake_p95)
    bench("pg.insert.tps", pg_tps)
    bench("intake.ratio_to_pg_insert", intake_rate / pg_tps)
    bench("loop.http.per_second", loop_rate)
    bench("loop.http.p95_ms", loop_p95)
    bench("loop.ratio_to_pg_insert", 3 * loop_rate / pg_tps)
    log(
        f"intake p50 {statistics.median(intake_tally.samples):.0f} ms over {len(intake_tally.samples)} requests"
    )
    ok = report_errors("intake", intake_tally, len(intake_tally.samples)) and report_errors(
        "loop", loop_tally, 3 * len(world["dispatched"])
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
