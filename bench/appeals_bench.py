"""Benchmarks of the appeal loop on the database named by ``DATABASE_URL`` (run by ``bench/run.py``).

Steps: migrate; build the named test world (``linli.testing.build_world``); bulk-generate 100,000 appeals
across its communities, grids, statuses and two years of months; ``ANALYZE``; then measure

- ``queue.<db>.*``: ``GET /api/appeals/?status=open&sort=deadline`` as the ``community`` persona (community
  staff at c1): p95 latency of 200 requests after warm-ups, and the number of queries of one request. The
  query count is also taken with 1,000 appeals in the table and on page 5; a warning goes to stderr if the
  counts differ.
- ``intake.<db>.*``: 300 sequential ``POST /api/appeals/`` as the ``resident`` persona through the whole
  Django stack: throughput and p50/p95 latency.

Prints ``BENCH <name> <value>`` lines on stdout; progress and diagnostics on stderr.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
# One resident files 300 appeals in a row here: the per-user intake throttle would stop it at the 31st, and the
# benchmark measures the intake path itself.
os.environ.setdefault("LINLI_INTAKE_RATE", "100000/min")

import django  # noqa: E402

django.setup()

from appeals_data import AppealFactory, add_category_tree, add_residents, analyze  # noqa: E402  (bench/)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from appeals.models import Appeal  # noqa: E402
from linli.testing import World, build_world  # noqa: E402

TOTAL_APPEALS = int(os.environ.get("BENCH_APPEALS", "100000"))
SMALL_TABLE = 1_000  # the query count is compared between this many appeals and TOTAL_APPEALS
INTAKE_REQUESTS = 300
QUEUE_REQUESTS = 200
QUEUE_WARMUPS = 5
QUEUE_URL = "/api/appeals/?status=open&sort=deadline"
QUEUE_TARGET_P95_MS = 150.0

DB = {"sqlite": "sqlite", "postgresql": "postgres"}.get(connection.vendor, connection.vendor)


def log(message: str) -> None:
    print(f"[appeals_bench/{DB}] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float | int) -> None:
    text = str(value) if isinstance(value, int) else f"{value:.2f}"
    print(f"BENCH {name} {text}", flush=True)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


# ---- measuring --------------------------------------------------------------------------------------------
class FreshUserClient(APIClient):
    """An APIClient forced to one user object that forgets what earlier requests cached on it (its Scope), as
    a real request's freshly loaded user would. The token or session lookup itself is not measured."""

    def request(self, **kwargs):
        self._bench_user.__dict__.pop("_linli_scope", None)
        return super().request(**kwargs)


def client_for(user) -> APIClient:
    client = FreshUserClient()
    client._bench_user = user
    client.force_authenticate(user=user)
    return client


def timed(request: Callable[[], object], expected: int, count: int) -> tuple[list[float], float]:
    """Latencies in ms of ``count`` sequential requests, and the total seconds."""
    samples = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - t0) * 1000)
        status = getattr(response, "status_code", None)
        if status != expected:
            raise RuntimeError(
                f"expected HTTP {expected}, got {status}: {getattr(response, 'content', b'')[:300]!r}"
            )
    return samples, time.perf_counter() - started


def queue_queries(client: APIClient, url: str = QUEUE_URL) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def explain_queue(client: APIClient) -> None:
    """The plans of the queue's queries (stderr), with their real parameters, for when it is slow."""
    seen: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        seen.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(QUEUE_URL)
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for sql, params in seen:
        if "appeals_appeal" not in sql:
            continue
        log(f"query: {sql[:200]}…")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            for row in cursor.fetchall():
                log("    " + " | ".join(str(c) for c in row))


def bench_queue(w: World, small_count: int) -> None:
    client = client_for(w.community)
    for _ in range(QUEUE_WARMUPS):
        client.get(QUEUE_URL)
    count = queue_queries(client)
    page5 = queue_queries(client, QUEUE_URL + "&limit=50&offset=200")
    if len({count, page5, small_count}) != 1:
        log(
            f"WARNING: queue query count is not constant: {small_count} with {SMALL_TABLE} appeals, "
            f"{count} with {Appeal.objects.count()}, {page5} on page 5"
        )
    else:
        log(f"queue query count constant: {count} ({SMALL_TABLE} rows, full table, page 5)")
    open_rows = client.get(QUEUE_URL).json()["count"]
    log(f"queue: {open_rows} open appeals visible to the community persona")
    samples, _ = timed(lambda: client.get(QUEUE_URL), 200, QUEUE_REQUESTS)
    p95 = percentile(samples, 95)
    log(f"queue: p50 {percentile(samples, 50):.2f} ms, p95 {p95:.2f} ms, max {max(samples):.2f} ms")
    if p95 > QUEUE_TARGET_P95_MS or os.environ.get("BENCH_EXPLAIN"):
        if p95 > QUEUE_TARGET_P95_MS:
            log(f"WARNING: queue p95 {p95:.1f} ms misses the {QUEUE_TARGET_P95_MS:.0f} ms target")
        explain_queue(client)
    bench(f"queue.{DB}.p95_ms", p95)
    bench(f"queue.{DB}.queries", count)


def bench_intake(w: World) -> None:
    client = client_for(w.resident)
    counter = iter(range(10**9))

    def submit():
        i = next(counter)
        return client.post(
            "/api/appeals/",
            {
                "title": f"楼道灯坏了（压测 {i}）",
                "body": "三楼楼道灯不亮，晚上上下楼很不方便。",
                "building": w.b1a.pk,
            },
            format="json",
        )

    samples, seconds = timed(submit, 201, INTAKE_REQUESTS)
    bench(f"intake.{DB}.per_second", INTAKE_REQUESTS / seconds)
    bench(f"intake.{DB}.p50_ms", percentile(samples, 50))
    bench(f"intake.{DB}.p95_ms", percentile(samples, 95))


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated in {time.perf_counter() - t0:.1f} s")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        w = build_world()
    factory = AppealFactory(w, add_category_tree(), add_residents(w), TOTAL_APPEALS)

    t0 = time.perf_counter()
    factory.generate(SMALL_TABLE)
    analyze()
    warm = client_for(w.community)
    for _ in range(QUEUE_WARMUPS):
        warm.get(QUEUE_URL)
    small_count = queue_queries(warm)
    factory.generate(TOTAL_APPEALS - SMALL_TABLE)
    log(f"generated {Appeal.objects.count()} appeals in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    analyze()
    log(f"analyzed in {time.perf_counter() - t0:.1f} s")

    bench_queue(w, small_count)
    bench_intake(w)


if __name__ == "__main__":
    main()
