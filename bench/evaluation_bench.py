"""Benchmark of the evaluation figures on PostgreSQL (run by ``bench/run.py``; skipped on SQLite).

Creates its own database ``linli_bench_eval`` on the server named by ``DATABASE_URL`` (dropped afterwards),
builds a district of 3 subdistricts × 4 communities × 4 grids with 24 units and 21 categories, inserts
1,000,000 appeals over two years with one set-based ``INSERT … SELECT FROM generate_series`` (every status,
answered, overdue, reopened, rated), rebuilds facts and cube with ``rebuild_figures`` (set-based SQL), then:

- ``BENCH dashboard.district.p95_ms``: the district dashboard page (figures, subdistrict/unit/category/channel
  tables, 12-month trend, grid map) as the district leader, p95 of 30 requests after 3 warm-ups (target < 300);
- ``BENCH report.monthly.seconds``: last month's district report, content + PDF + Excel (target < 30);
- ``BENCH evaluation.rebuild.seconds`` and ``BENCH evaluation.step_ms`` (one appeal step with its incremental
  cube update, p95 of 200 steps).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
DB_NAME = os.environ.get("BENCH_EVAL_DB", "linli_bench_eval")  # a name of its own on a shared server
TOTAL = int(os.environ.get("BENCH_EVAL_APPEALS", "1000000"))
KEEP = os.environ.get("BENCH_EVAL_KEEP") == "1"  # development: keep the database and reuse it on the next run


def log(message: str) -> None:
    print(f"[evaluation_bench] {message}", file=sys.stderr, flush=True)


def bench(name: str, value: float) -> None:
    print(f"BENCH {name} {value:.2f}" if isinstance(value, float) else f"BENCH {name} {value}", flush=True)


url = os.environ.get("DATABASE_URL", "")
if not url.startswith(("postgres://", "postgresql://")):
    log("runs on PostgreSQL only (1,000,000 appeals); skipped for this database")
    sys.exit(0)

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

parsed = urlparse(url)
try:
    admin = psycopg.connect(urlunparse(parsed._replace(path="/postgres")), autocommit=True, connect_timeout=5)
except psycopg.Error as exc:
    log(f"PostgreSQL unreachable ({str(exc).strip()}); skipped")
    sys.exit(0)
drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
REUSE = (
    KEEP and admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is not None
)
if not REUSE:
    admin.execute(drop)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{DB_NAME}"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from access.models import Role  # noqa: E402
from access.services import role_grant  # noqa: E402
from appeals.models import Appeal  # noqa: E402
from areas.models import Area  # noqa: E402
from areas.services import area_create  # noqa: E402
from categories.models import Category  # noqa: E402
from evaluation import selectors as sel  # noqa: E402
from evaluation.rebuild import rebuild_figures  # noqa: E402
from evaluation.shapes import draw_grids  # noqa: E402
from linli import clock  # noqa: E402
from people.models import Person  # noqa: E402
from units.models import Unit  # noqa: E402
from units.services import unit_create  # noqa: E402


def build_tree():
    K = Area.Kind
    d = area_create(kind=K.DISTRICT, code="BD", name="基准区")
    grids, units = [], []
    for s in range(3):
        sub = area_create(kind=K.SUBDISTRICT, code=f"BS{s}", name=f"第{s + 1}街道", parent=d)
        for c in range(4):
            com = area_create(kind=K.COMMUNITY, code=f"BC{s}{c}", name=f"{s + 1}-{c + 1}社区", parent=sub)
            person = Person.objects.create(name=f"居民{s}{c}", community=com)
            for g in range(4):
                grid = area_create(
                    kind=K.GRID, code=f"BG{s}{c}{g}", name=f"{s + 1}-{c + 1}-{g + 1}网格", parent=com
                )
                grids.append((grid, com, person))
            units.append(
                unit_create(
                    kind=Unit.Kind.PROPERTY_MANAGER, code=f"BU{s}{c}", name=f"{s}{c}物业", home_area=com
                )
            )
    for i in range(12):
        units.append(unit_create(kind=Unit.Kind.DEPARTMENT, code=f"BDEP{i}", name=f"区局{i}", home_area=d))
    leaves = []
    for r in range(7):
        root = Category.objects.create(code=f"R{r}", name=f"类别{r}")
        leaves += [
            Category.objects.create(code=f"R{r}-{i}", name=f"类别{r}-{i}", parent=root) for i in range(2)
        ]
    return d, grids, units, leaves


def insert_appeals(grids, units, leaves) -> None:
    """One INSERT … SELECT: realistic shares of each status, times and ratings, PostgreSQL random()."""
    paths = "ARRAY[" + ",".join(f"'{g.path}'" for g, _, _ in grids) + "]"
    grid_ids = "ARRAY[" + ",".join(str(g.pk) for g, _, _ in grids) + "]"
    com_ids = "ARRAY[" + ",".join(str(c.pk) for _, c, _ in grids) + "]"
    person_ids = "ARRAY[" + ",".join(str(p.pk) for _, _, p in grids) + "]"
    own_unit = {u.home_area_id: u.pk for u in units if u.kind == Unit.Kind.PROPERTY_MANAGER}
    pm_ids = "ARRAY[" + ",".join(str(own_unit[c.pk]) for _, c, _ in grids) + "]"
    dept_ids = "ARRAY[" + ",".join(str(u.pk) for u in units if u.kind == Unit.Kind.DEPARTMENT) + "]"
    cat_ids = "ARRAY[" + ",".join(str(c.pk) for c in leaves) + "]"
    n_g, n_c = len(grids), len(leaves)
    exprs = {
        "title": "'基准诉求 ' || g",
        "body": "'居民反映的问题'",
        "community_id": f"({com_ids})[gi]",
        "grid_id": f"({grid_ids})[gi]",
        "area_path": f"({paths})[gi]",
        "channel": "(ARRAY['app','visit','hotline','counter','api'])[1 + floor(r2 * 5)::int]",
        "raised_by_id": f"({person_ids})[gi]",
        "category_id": f"({cat_ids})[1 + floor(r4 * {n_c})::int]",
        "status": "st",
        "triage_kind": "CASE WHEN answered THEN 'answer' WHEN st IN ('submitted','withdrawn','merged') THEN '' ELSE 'transfer' END",
        "unit_id": f"CASE WHEN answered OR st IN ('submitted','withdrawn','merged','returned') THEN NULL WHEN r5 < 0.6 THEN ({pm_ids})[gi] ELSE ({dept_ids})[1 + floor(r5 * 1000)::int % 12] END",
        "submitted_at": "sub",
        "first_dispatched_at": "CASE WHEN answered OR st IN ('submitted','withdrawn','merged') THEN NULL ELSE sub + interval '2 hours' END",
        "dispatched_at": "CASE WHEN answered OR st IN ('submitted','withdrawn','merged') THEN NULL ELSE sub + interval '2 hours' END",
        "contact_due": "CASE WHEN answered OR st IN ('submitted','withdrawn','merged') THEN NULL ELSE sub + interval '26 hours' END",
        "resolve_due": "CASE WHEN answered OR st IN ('submitted','withdrawn','merged') THEN NULL ELSE sub + interval '7 days' END",
        "contacted_at": "CASE WHEN st IN ('accepted','completed','closed') THEN sub + r6 * interval '40 hours' END",
        "accepted_at": "CASE WHEN st IN ('accepted','completed','closed') AND NOT answered THEN sub + r6 * interval '40 hours' END",
        "completed_at": "CASE WHEN st IN ('completed','closed') THEN sub + r6 * interval '40 hours' + r7 * interval '9 days' END",
        "closed_at": "CASE WHEN st = 'closed' THEN sub + interval '12 days' WHEN st = 'withdrawn' THEN sub + interval '1 day' END",
        "rated_at": "CASE WHEN st = 'closed' THEN sub + interval '12 days' END",
        "satisfaction": "CASE WHEN st <> 'closed' THEN '' WHEN r8 < 0.8 THEN 'satisfied' WHEN r8 < 0.95 THEN 'basically_satisfied' ELSE 'unsatisfied' END",
        "resolved": "CASE WHEN st = 'closed' THEN r8 < 0.93 END",
        "rating_comment": "CASE WHEN st = 'closed' AND r8 > 0.9 THEN '希望再快一些' ELSE '' END",
        "contact_overdue": "NOT answered AND st IN ('accepted','completed','closed') AND r6 > 0.65",
        "resolve_overdue": "NOT answered AND st IN ('completed','closed') AND r6 * 40 / 24 + r7 * 9 > 7",
        "reopen_count": "CASE WHEN st = 'closed' AND r8 > 0.97 THEN 1 ELSE 0 END",
        "return_count": "CASE WHEN st = 'returned' THEN 1 ELSE 0 END",
        "updated_at": "now()",
    }
    columns, values = [], []
    for field in Appeal._meta.concrete_fields:
        if field.primary_key:
            continue
        name = field.column
        key = field.attname
        if key in exprs:
            columns.append(name)
            values.append(exprs[key])
        elif not field.null:
            default = field.get_default()
            columns.append(name)
            values.append(
                connection.ops.adapt_unknown_value(default)
                if not isinstance(default, str)
                else "'" + default.replace("'", "''") + "'"
            )
    statuses = (
        "CASE WHEN r3 < 0.015 THEN 'submitted' WHEN r3 < 0.035 THEN 'dispatched' WHEN r3 < 0.06 THEN 'accepted' "
        "WHEN r3 < 0.065 THEN 'returned' WHEN r3 < 0.09 THEN 'completed' WHEN r3 < 0.12 THEN 'withdrawn' "
        "WHEN r3 < 0.145 THEN 'merged' ELSE 'closed' END"
    )
    statement = f"""
        INSERT INTO appeals_appeal ({", ".join(columns)})
        SELECT {", ".join(str(v) for v in values)} FROM (
            SELECT *, {statuses} AS st, (r2 < 0.1) AS answered FROM (
                SELECT g, 1 + floor(random() * {n_g})::int AS gi, random() r2, random() r3, random() r4, random() r5,
                       random() r6, random() r7, random() r8,
                       now() - random() * interval '730 days' AS sub
                FROM generate_series(1, {TOTAL}) g
            ) raw
        ) s
    """
    with connection.cursor() as cursor:
        # Load like a restore: secondary indexes rebuilt afterwards, FK triggers off (the ids are valid).
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'appeals_appeal' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(statement)
        # answered appeals (no dispatch) are completed or closed; the others keep their drawn status
        cursor.execute(
            "UPDATE appeals_appeal SET status = 'closed' WHERE triage_kind = 'answer' "
            "AND status NOT IN ('completed','closed')"
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        for _, definition in indexes:
            cursor.execute(definition)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def build() -> tuple:
    d, grids, units, leaves = build_tree()
    draw_grids(d)
    t0 = time.perf_counter()
    insert_appeals(grids, units, leaves)
    log(f"{TOTAL} appeals inserted in {time.perf_counter() - t0:.0f} s")
    return d, grids


def reuse() -> tuple:
    """The district and grids of a kept database (BENCH_EVAL_KEEP=1), with its figures rebuilt."""
    d = Area.objects.get(code="BD")
    grids = []
    for grid in Area.objects.filter(kind=Area.Kind.GRID, path__startswith=d.path).order_by("path"):
        com = grid.parent
        grids.append((grid, com, Person.objects.filter(community=com).first()))
    log(f"reusing {DB_NAME}: {Appeal.objects.count()} appeals")
    return d, grids


def main() -> None:
    call_command("migrate", verbosity=0)
    d, grids = reuse() if REUSE else build()
    t0 = time.perf_counter()
    facts, cells = rebuild_figures()
    rebuild = time.perf_counter() - t0
    log(f"rebuild_figures: {facts} facts, {cells} cube cells in {rebuild:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    bench("evaluation.rebuild.seconds", rebuild)

    leader, created = get_user_model().objects.get_or_create(username="bench-district")
    if created:
        role_grant(user=leader, role=Role.DISTRICT_LEADER, area=d)
    last_month = sel.add_months(sel.month_of(clock.now()), -1)
    url = f"/evaluation/area/{d.pk}/?month={last_month:%Y-%m}"
    static = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, **static}
    ):
        client = Client()
        client.force_login(leader)
        for _ in range(3):
            assert client.get(url).status_code == 200
        samples = []
        for _ in range(30):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            client.get(url)
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    bench("dashboard.district.p95_ms", p95(samples))

    from evaluation.pdf import write_pdf
    from evaluation.report import report_content
    from evaluation.report_xlsx import write_xlsx

    t0 = time.perf_counter()
    content = report_content(d, last_month)
    pdf, xlsx = write_pdf(content), write_xlsx(content)
    seconds = time.perf_counter() - t0
    log(f"report: {len(pdf)} bytes PDF, {len(xlsx)} bytes Excel, {len(content.overdue)} overdue rows")
    bench("report.monthly.seconds", seconds)

    # one real step with its incremental update (the receiver's cost under a big cube)
    from appeals import services

    staff, created = get_user_model().objects.get_or_create(username="bench-staff")
    com = grids[0][1]
    if created:
        role_grant(user=staff, role=Role.COMMUNITY_STAFF, area=com)
    open_ids = list(
        Appeal.objects.filter(status="submitted", community=com).values_list("pk", flat=True)[:200]
    )
    steps = []
    for pk in open_ids:
        t = time.perf_counter()
        services.appeal_withdraw(user=staff, appeal_id=pk, reason="基准")
        steps.append((time.perf_counter() - t) * 1000)
    if len(steps) >= 20:
        bench("evaluation.step_ms", p95(steps))


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        if not KEEP:
            admin.execute(drop)
        admin.close()
