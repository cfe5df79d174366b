"""Benchmarks of smart triage (run by ``bench/run.py``).

On SQLite (the database does not matter for these): trains the category model on
``train_tokenized.csv`` alone and prints

- ``BENCH triage.dev.macro_f1`` / ``triage.dev.accuracy``: the stored model on the raw ``dev_raw.csv``;
- ``BENCH triage.category.p50_ms`` / ``p95_ms``: the level-1 category alone (jieba, features, calibrated SVM) per
  dev message, model already loaded. The whole suggestion (path, units, duplicates: ``triage.suggest.p50_ms``) is
  measured by ``triage_history_bench.py``.

Skipped when the shared data is absent.

On PostgreSQL: creates its own database (the runner's name + ``_dup``, dropped afterwards), builds 52 communities,
loads 1,000,000 appeals over two years with COPY, and prints ``BENCH duplicates.lookup.p95_ms``: the duplicate
lookup of ``triage.selectors.duplicates_for`` for 300 new appeals (target p95 < 50 ms).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
# the scratch database of the duplicates benchmark: the runner's database name + "_dup" (never another's)
DB_NAME = (urlparse(os.environ.get("DATABASE_URL", "")).path.lstrip("/") or "linli_bench") + "_dup"
TOTAL = int(os.environ.get("BENCH_DUP_APPEALS", "1000000"))
LOOKUPS = 300
SEED = 20200425


def log(message: str) -> None:
    print(f"[triage_bench] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float) -> None:
    print(
        f"BENCH {name} {value:.4f}" if name.endswith(("f1", "accuracy")) else f"BENCH {name} {value:.2f}",
        flush=True,
    )


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


URL = os.environ.get("DATABASE_URL", "")
POSTGRES = URL.startswith(("postgres://", "postgresql://"))
admin = None
if POSTGRES:
    import psycopg
    from psycopg import sql

    parsed = urlparse(URL)
    try:
        admin = psycopg.connect(
            urlunparse(parsed._replace(path="/postgres")), autocommit=True, connect_timeout=5
        )
    except psycopg.Error as exc:
        log(f"PostgreSQL unreachable ({str(exc).strip()}); duplicates benchmark skipped")
        sys.exit(0)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
    admin.execute(drop)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{DB_NAME}"))
else:
    os.environ.setdefault(
        "TRIAGE_MODEL_PATH", str(Path(tempfile.mkdtemp(prefix="linli-triage-")) / "model.joblib")
    )

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from appeals.models import OPEN_STATUSES, Appeal, Status  # noqa: E402
from areas.models import Area  # noqa: E402
from areas.services import area_create  # noqa: E402
from people.models import Person  # noqa: E402
from triage import classifier, selectors  # noqa: E402


# ---- the model: dev figures and suggestion latency ----------------------------------------------------------
def bench_model() -> None:
    data = settings.SHARED_DATA_DIR / "tipdm2020"
    if not (data / "train_tokenized.csv").exists():
        log(f"shared data absent at {data}; model benchmarks skipped")
        return
    call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    from triage.services import model_train

    model_train(csv_paths=[data / "train_tokenized.csv"])
    log(f"trained on train_tokenized.csv in {time.perf_counter() - t0:.0f} s")
    model = classifier.load()
    assert model is not None
    report = classifier.evaluate(model, classifier.read_csv(data / "dev_raw.csv"))
    for line in report.lines():
        log(line)
    bench("triage.dev.macro_f1", report.macro_f1)
    bench("triage.dev.accuracy", report.accuracy)
    import csv

    with (data / "dev_raw.csv").open(encoding="utf-8") as handle:
        rows = [(r["title"], r["body"]) for r in csv.DictReader(handle)]
    for title, body in rows[:20]:  # warm-up
        selectors.suggest_category(title, body)
    samples = []
    for title, body in rows:
        t = time.perf_counter()
        selectors.suggest_category(title, body)
        samples.append((time.perf_counter() - t) * 1000)
    bench("triage.category.p50_ms", percentile(samples, 50))
    bench("triage.category.p95_ms", percentile(samples, 95))


# ---- duplicates on 1,000,000 appeals (PostgreSQL) ---------------------------------------------------------------
TITLES = [
    "楼道灯坏了",
    "电梯经常故障",
    "路灯不亮",
    "垃圾清运不及时",
    "下水道堵塞",
    "广场舞噪音扰民",
    "小区停车难",
    "外墙脱落隐患",
    "绿化带被占用",
    "楼顶漏水",
    "宠物扰民",
    "油烟直排",
    "施工噪音",
    "自来水发黄",
    "消防通道被堵",
]
PLACES = ["1号楼", "2号楼", "3号楼", "东门", "西门", "南区", "北区", "幼儿园旁", "菜市场", "地下车库"]


def build_places():
    K = Area.Kind
    d = area_create(kind=K.DISTRICT, code="DD", name="基准区")
    places = []
    for s in range(4):
        sub = area_create(kind=K.SUBDISTRICT, code=f"DS{s}", name=f"第{s + 1}街道", parent=d)
        for c in range(13):
            com = area_create(kind=K.COMMUNITY, code=f"DC{s}-{c}", name=f"{s + 1}-{c + 1}社区", parent=sub)
            grids = [
                area_create(
                    kind=K.GRID, code=f"DG{s}-{c}-{g}", name=f"{s + 1}-{c + 1}-{g + 1}网格", parent=com
                )
                for g in range(4)
            ]
            people = Person.objects.bulk_create(
                [Person(name=f"居民{s}{c}{i}", community=com) for i in range(20)]
            )
            places.append((com, grids, [p.pk for p in people]))
    return places


def copy_appeals(places) -> None:
    """COPY rows built from a template appeal (every column's default), varied where it matters."""
    rng = random.Random(SEED)
    com, grids, people = places[0]
    template = Appeal(
        title="t",
        body="b",
        community=com,
        area_path=com.path,
        channel="app",
        raised_by_id=people[0],
        submitted_at=timezone.now(),
    )
    fields = [f for f in Appeal._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    index = {f.attname: i for i, f in enumerate(fields)}
    now = timezone.now()
    old_statuses = [Status.CLOSED] * 90 + [Status.WITHDRAWN] * 4 + [Status.MERGED] * 3 + list(OPEN_STATUSES)
    recent_statuses = [
        Status.SUBMITTED,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.RETURNED,
        Status.COMPLETED,
    ]
    names = ", ".join(f'"{c}"' for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY appeals_appeal ({names}) FROM STDIN") as copy,
    ):
        for n in range(TOTAL):
            com, grids, people = places[rng.randrange(len(places))]
            grid = grids[rng.randrange(4)]
            age = timedelta(seconds=rng.uniform(0, 730 * 86400))
            row = list(base)
            title = f"{rng.choice(PLACES)}{rng.choice(TITLES)}"
            row[index["title"]] = title
            row[index["body"]] = f"居民反映：{title}，已经{rng.randrange(2, 30)}天了，希望尽快处理。"
            row[index["community_id"]] = com.pk
            row[index["grid_id"]] = grid.pk
            row[index["area_path"]] = grid.path
            row[index["raised_by_id"]] = rng.choice(people)
            row[index["status"]] = rng.choice(recent_statuses if age < timedelta(days=30) else old_statuses)
            row[index["submitted_at"]] = now - age
            row[index["updated_at"]] = now
            copy.write_row(row)
            if n % 200_000 == 0 and n:
                log(f"  {n} appeals copied")


def bench_duplicates() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    places = build_places()
    t0 = time.perf_counter()
    copy_appeals(places)
    log(f"copied {TOTAL} appeals in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE appeals_appeal")
    log(f"analyzed in {time.perf_counter() - t0:.0f} s; {Appeal.objects.count()} appeals")
    rng = random.Random(SEED + 1)
    probes = []
    for _ in range(LOOKUPS):
        com, grids, people = places[rng.randrange(len(places))]
        grid = grids[rng.randrange(4)]
        title = f"{rng.choice(PLACES)}{rng.choice(TITLES)}"
        probes.append(
            Appeal(
                title=title,
                body=f"{title}，好几天了，请处理。",
                community=com,
                grid=grid,
                area_path=grid.path,
                submitted_at=timezone.now(),
            )
        )
    for probe in probes[:10]:
        selectors.duplicates_for(probe)
    samples, found = [], 0
    for probe in probes:
        t = time.perf_counter()
        found += len(selectors.duplicates_for(probe))
        samples.append((time.perf_counter() - t) * 1000)
    log(
        f"duplicates: p50 {percentile(samples, 50):.1f} ms, p95 {percentile(samples, 95):.1f} ms, "
        f"{found / LOOKUPS:.1f} found per lookup"
    )
    if os.environ.get("BENCH_EXPLAIN"):
        with connection.cursor() as cursor:
            probe = probes[0]
            since = probe.submitted_at - timedelta(days=settings.TRIAGE_DUPLICATE_DAYS)
            qs = Appeal.objects.filter(
                community_id=probe.community_id, status__in=OPEN_STATUSES, submitted_at__gte=since
            )
            log(qs.order_by("-submitted_at")[:300].explain(analyze=True))
    bench("duplicates.lookup.p95_ms", percentile(samples, 95))


if __name__ == "__main__":
    try:
        if POSTGRES:
            bench_duplicates()
        else:
            bench_model()
    finally:
        if admin is not None:
            connection.close()
            admin.execute(drop)
