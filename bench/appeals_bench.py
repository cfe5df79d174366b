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
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
# One resident files 300 appeals in a row here: the per-user intake throttle would stop it at the 31st, and the
# benchmark measures the intake path itself.
os.environ.setdefault("LINLI_INTAKE_RATE", "100000/min")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from appeals.models import Appeal, Channel, Level, Satisfaction, Status, TriageKind  # noqa: E402
from categories.models import Category  # noqa: E402
from linli.testing import World, build_world  # noqa: E402
from people.models import Person  # noqa: E402

TOTAL_APPEALS = int(os.environ.get("BENCH_APPEALS", "100000"))
SMALL_TABLE = 1_000  # the query count is compared between this many appeals and TOTAL_APPEALS
BATCH = 5_000
INTAKE_REQUESTS = 300
QUEUE_REQUESTS = 200
QUEUE_WARMUPS = 5
QUEUE_URL = "/api/appeals/?status=open&sort=deadline"
QUEUE_TARGET_P95_MS = 150.0
RESIDENTS_PER_COMMUNITY = 1_500
SEED = 20240601

DB = {"sqlite": "sqlite", "postgresql": "postgres"}.get(connection.vendor, connection.vendor)


def log(message: str) -> None:
    print(f"[appeals_bench/{DB}] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float | int) -> None:
    text = str(value) if isinstance(value, int) else f"{value:.2f}"
    print(f"BENCH {name} {text}", flush=True)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


# ---- data -------------------------------------------------------------------------------------------------
def add_category_tree() -> list[Category]:
    """A small category tree (the world has none): five roots, three leaves each, varied deadlines."""
    roots = {
        "ENV": ("环境卫生", 24, 3),
        "PROP": ("物业管理", 24, 5),
        "INFRA": ("市政设施", 48, 10),
        "SAFETY": ("安全隐患", 4, 2),
        "NEIGH": ("邻里纠纷", 24, 7),
    }
    leaves = []
    for code, (name, hours, days) in roots.items():
        root = Category.objects.create(code=code, name=name, contact_hours=hours, resolve_working_days=days)
        for i, leaf in enumerate(("一般", "紧急", "其他"), start=1):
            leaves.append(
                Category.objects.create(
                    code=f"{code}-{i}",
                    name=f"{name}{leaf}",
                    parent=root,
                    contact_hours=max(1, hours // (2 if leaf == "紧急" else 1)),
                    resolve_working_days=days,
                )
            )
    return leaves


def add_residents(w: World) -> dict[int, list[Person]]:
    """Residents on the register (no login) who raise the generated appeals, per community id."""
    rng = random.Random(SEED + 1)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
    pools: dict[int, list[Person]] = {}
    for community in (w.c1, w.c2):
        people = [
            Person(
                name=rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice((1, 2)))),
                phone=f"139{rng.randrange(10**8):08d}",
                birth_year=rng.randrange(1940, 2005),
                community=community,
            )
            for _ in range(RESIDENTS_PER_COMMUNITY)
        ]
        pools[community.pk] = Person.objects.bulk_create(people, batch_size=BATCH)
    return pools


def add_working_days(start: datetime, days: int) -> datetime:
    """Monday–Friday only (the real deadlines also read the holiday calendar; close enough for data)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


TITLES = [
    "楼道堆放杂物",
    "电梯经常故障",
    "路灯不亮",
    "垃圾清运不及时",
    "下水道堵塞",
    "噪音扰民",
    "小区停车难",
    "外墙脱落隐患",
    "绿化带被占用",
    "供暖温度不达标",
    "楼顶漏水",
    "宠物扰民",
]


class AppealFactory:
    """Realistic appeal rows: 63/37 split between the two communities (their populations), every row in a
    grid (area_path = grid path), submitted uniformly over the last two years. Appeals of the last 30 days
    are mostly still in the loop; older ones are mostly closed, with a 2% backlog still open."""

    RECENT = {
        Status.SUBMITTED: 12,
        Status.DISPATCHED: 18,
        Status.ACCEPTED: 30,
        Status.RETURNED: 3,
        Status.COMPLETED: 15,
        Status.CLOSED: 17,
        Status.WITHDRAWN: 3,
        Status.MERGED: 2,
    }
    OLDER = {
        Status.SUBMITTED: 0.3,
        Status.DISPATCHED: 0.4,
        Status.ACCEPTED: 1.2,
        Status.RETURNED: 0.1,
        Status.COMPLETED: 1,
        Status.CLOSED: 91,
        Status.WITHDRAWN: 3.5,
        Status.MERGED: 2.5,
    }
    CHANNELS = {Channel.APP: 50, Channel.VISIT: 20, Channel.HOTLINE: 20, Channel.COUNTER: 8, Channel.API: 2}
    SATISFACTION = {Satisfaction.SATISFIED: 80, Satisfaction.BASICALLY: 15, Satisfaction.UNSATISFIED: 5}

    def __init__(self, w: World, categories: list[Category], residents: dict[int, list[Person]], total: int):
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        # Ids follow submission time, as they do in production.
        ages = sorted((self.rng.uniform(0, 730 * 86400) for _ in range(total)), reverse=True)
        self.ages = iter(timedelta(seconds=s) for s in ages)
        self.categories = categories
        self.residents = residents
        self.places = [  # (weight, community, grid, building, units that take its appeals)
            (2600, w.c1, w.g1a, w.b1a, [w.pm1, w.pm1, w.dept]),
            (2600, w.c1, w.g1b, w.b1b, [w.pm1, w.pm1, w.dept]),
            (3100, w.c2, w.g2a, w.b2a, [w.pm2, w.pm2, w.dept]),
        ]
        self.merge_targets: list[int] = []

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def make(self) -> Appeal:
        rng = self.rng
        _, community, grid, building, units = rng.choices(self.places, weights=[p[0] for p in self.places])[0]
        age = next(self.ages)
        submitted = self.now - age
        status = self._pick(self.RECENT if age < timedelta(days=30) else self.OLDER)
        if status == Status.MERGED and not self.merge_targets:
            status = Status.WITHDRAWN
        category = rng.choice(self.categories) if rng.random() < 0.9 else None
        a = Appeal(
            title=f"{rng.choice(TITLES)}（{rng.randrange(1, 30)}号楼附近）",
            body="居民反映：" + rng.choice(TITLES) + "，已持续一段时间，希望尽快处理。" * rng.randrange(1, 4),
            category_id=category.pk if category else None,
            community_id=community.pk,
            grid_id=grid.pk,
            building_id=building.pk if rng.random() < 0.6 else None,
            address="",
            area_path=grid.path,
            channel=self._pick(self.CHANNELS),
            raised_by_id=rng.choice(self.residents[community.pk]).pk,
            is_anonymous=rng.random() < 0.1,
            status=status,
            level=rng.choices([Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT], weights=[94, 5, 1])[0],
            submitted_at=submitted,
        )
        if status == Status.MERGED:
            a.merged_into_id = rng.choice(self.merge_targets)
            return a
        if status == Status.SUBMITTED:
            return a
        if status == Status.WITHDRAWN:
            a.closed_at = submitted + timedelta(hours=rng.uniform(1, 72))
            return a
        # Triaged: answered directly (no unit), or dispatched to a unit with deadlines.
        answered = status in (Status.COMPLETED, Status.CLOSED) and rng.random() < 0.15
        if answered:
            a.triage_kind = TriageKind.ANSWER
            a.answer = a.report = "已向居民解释相关政策。"
            a.contacted_at = a.completed_at = submitted + timedelta(hours=rng.uniform(1, 48))
        else:
            unit = rng.choice(units)
            a.unit_id = unit.pk
            a.triage_kind = TriageKind.TRANSFER if unit.kind == "department" else TriageKind.SELF_HANDLE
            dispatched = submitted + timedelta(hours=rng.uniform(0.2, 24))
            a.dispatched_at = a.first_dispatched_at = dispatched
            hours = category.contact_hours if category else 24
            days = category.resolve_working_days if category else 5
            a.contact_due = dispatched + timedelta(hours=hours)
            a.resolve_due = add_working_days(dispatched, days)
            if status == Status.RETURNED:
                a.unit_id = None
                a.return_count = 1
            if status in (Status.ACCEPTED, Status.COMPLETED, Status.CLOSED):
                a.accepted_at = a.contacted_at = dispatched + timedelta(hours=rng.uniform(0.1, hours))
            if status in (Status.COMPLETED, Status.CLOSED):
                a.completed_at = a.accepted_at + timedelta(days=rng.uniform(0.2, days * 1.4))
                a.report = "已现场处理完毕。"
            a.contact_overdue = (a.contacted_at or self.now) > a.contact_due
            a.resolve_overdue = (a.completed_at or self.now) > a.resolve_due
        if status == Status.CLOSED:
            a.rated_at = a.closed_at = a.completed_at + timedelta(days=rng.uniform(0, 3))
            a.satisfaction = self._pick(self.SATISFACTION)
            if a.satisfaction == Satisfaction.UNSATISFIED:
                a.satisfaction = Satisfaction.BASICALLY  # unsatisfied ones were reopened; closed later
                a.reopen_count = 1
            a.resolved = True
            a.rated_by_staff = rng.random() < 0.3
        return a

    def generate(self, count: int) -> None:
        Follow = Appeal.followers.through
        big_cache = connection.vendor == "sqlite"
        if big_cache:  # SQLite's default 2 MB page cache makes random index inserts crawl; only while loading
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                default_cache = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -262144")
        while count > 0:
            n = min(BATCH, count)
            rows = Appeal.objects.bulk_create([self.make() for _ in range(n)])
            ids = [r.pk for r in rows]
            self.merge_targets.extend(self.rng.sample(ids, min(50, len(ids))))
            follows = [
                Follow(appeal_id=r.pk, person_id=self.rng.choice(self.residents[r.community_id]).pk)
                for r in rows
                if self.rng.random() < 0.03
            ]
            Follow.objects.bulk_create(follows, ignore_conflicts=True)
            count -= n
        if big_cache:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(default_cache)}")


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


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
