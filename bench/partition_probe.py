"""Measure what monthly partitioning does to the timeline and fact queries (docs/scaling.md §4), on a database the
evaluation benchmark kept (PostgreSQL only; not in ``run.py``'s list: run it by hand).

    BENCH_EVAL_KEEP=1 BENCH_EVAL_DB=linli_bench_eval BENCH_DATABASES=postgres .venv/bin/python bench/run.py \\
        evaluation_bench.py
    .venv/bin/python bench/partition_probe.py postgres://postgres@127.0.0.1:5432/linli_bench_eval

It writes into that database (drop it afterwards):

- events: ``BENCH_PROBE_EVENTS`` (default 2) events per appeal into ``appeals_appealevent`` (partitioned by the
  migration: dated over two years, they land in its default partition, and the partition job's own code moves
  them into their months, timed) and the same rows into a plain copy ``probe_event_plain``; then the timeline query of random appeals
  (``appeal_id = ? ORDER BY at``) on the plain table, on the partitioned one without a bound on ``at``, and with
  ``at >= submitted_at`` (what ``appeals.timeline`` sends);
- facts: a copy of ``evaluation_appealfact`` partitioned by ``month`` (primary key ``(appeal_id, month)``), and
  the step's fact lookup (``appeal_id = ? FOR UPDATE``, what ``evaluation.facts.refresh_fact`` sends) on the plain
  table, on the partitioned copy by ``appeal_id`` alone, and with the month given; and one month's district sum.

Prints ``BENCH probe.<name> <ms>`` lines (mean milliseconds per query, planning included, over ``SAMPLES``).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

import psycopg

SAMPLES = 400
EVENTS_PER_APPEAL = int(os.environ.get("BENCH_PROBE_EVENTS", "2"))


def log(message: str) -> None:
    print(f"[partition_probe] {message}", file=sys.stderr, flush=True)


def timed(conn: psycopg.Connection, sql: str, params: list[tuple]) -> float:
    """Mean ms per execution (client-side literals, as Django sends them: planned each time)."""
    cursor = psycopg.ClientCursor(conn)
    for p in params[:20]:  # warm the cache
        cursor.execute(sql, p)
        cursor.fetchall()
    samples = []
    for p in params:
        t0 = time.perf_counter()
        cursor.execute(sql, p)
        cursor.fetchall()
        samples.append((time.perf_counter() - t0) * 1000)
    conn.rollback()
    return statistics.fmean(samples)


def events(conn: psycopg.Connection) -> None:
    count = conn.execute("SELECT count(*) FROM appeals_appealevent").fetchone()[0]
    if count < 1000:
        t0 = time.perf_counter()
        conn.execute(
            "INSERT INTO appeals_appealevent (at, action, from_status, to_status, note, appeal_id) "
            "SELECT a.submitted_at + (k * interval '9 hours'), CASE WHEN k = 0 THEN 'submit' ELSE 'progress' END, "
            "'', a.status, '', a.id FROM appeals_appeal a, generate_series(0, %s - 1) k",
            [EVENTS_PER_APPEAL],
        )
        conn.commit()
        log(f"{EVENTS_PER_APPEAL} events per appeal written in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        moved = move_out_of_default()
        log(f"the partition job moved {moved['moved']} rows into {len(moved['created'])} new months")
        bench("job_move_default.seconds", time.perf_counter() - t0)
        t0 = time.perf_counter()
        conn.execute("CREATE TABLE probe_event_plain (LIKE appeals_appealevent INCLUDING DEFAULTS)")
        conn.execute("INSERT INTO probe_event_plain SELECT * FROM appeals_appealevent")
        conn.execute("ALTER TABLE probe_event_plain ADD PRIMARY KEY (id)")
        conn.execute("CREATE INDEX ON probe_event_plain (appeal_id, at)")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE appeals_appealevent")
        conn.execute("VACUUM ANALYZE probe_event_plain")
        conn.autocommit = False
        log(f"plain copy in {time.perf_counter() - t0:.0f} s")
    rows = conn.execute("SELECT count(*) FROM appeals_appealevent").fetchone()[0]
    parts = conn.execute(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'appeals_appealevent'::regclass"
    ).fetchone()[0]
    log(f"{rows} events in {parts} partitions")
    picks = conn.execute(
        f"SELECT id, submitted_at FROM appeals_appeal ORDER BY random() LIMIT {SAMPLES}"
    ).fetchall()
    by_id = [(pk,) for pk, _ in picks]
    timeline = "SELECT * FROM {} WHERE appeal_id = %s{} ORDER BY at, id"
    bench("timeline.plain", timed(conn, timeline.format("probe_event_plain", ""), by_id))
    bench("timeline.partitioned_unbounded", timed(conn, timeline.format("appeals_appealevent", ""), by_id))
    bench(
        "timeline.partitioned_bounded",
        timed(conn, timeline.format("appeals_appealevent", " AND at >= %s"), list(picks)),
    )
    recent = conn.execute(  # the timelines people read most: appeals of the last 30 days, mostly still open
        "SELECT id, submitted_at FROM appeals_appeal WHERE submitted_at > now() - interval '30 days' "
        f"ORDER BY random() LIMIT {SAMPLES}"
    ).fetchall()
    bench(
        "timeline_recent.plain",
        timed(conn, timeline.format("probe_event_plain", ""), [(p,) for p, _ in recent]),
    )
    bench(
        "timeline_recent.partitioned_bounded",
        timed(conn, timeline.format("appeals_appealevent", " AND at >= %s"), list(recent)),
    )


def facts(conn: psycopg.Connection) -> None:
    exists = conn.execute("SELECT to_regclass('probe_fact_part')").fetchone()[0]
    if exists is None:
        t0 = time.perf_counter()
        conn.execute(
            "CREATE TABLE probe_fact_part (LIKE evaluation_appealfact INCLUDING DEFAULTS, "
            "PRIMARY KEY (appeal_id, month)) PARTITION BY RANGE (month)"
        )
        months = [r[0] for r in conn.execute("SELECT DISTINCT month FROM evaluation_appealfact ORDER BY 1")]
        for m in months:
            conn.execute(
                f"CREATE TABLE probe_fact_{m:%Y%m} PARTITION OF probe_fact_part "
                f"FOR VALUES FROM ('{m}') TO ('{m}'::date + interval '1 month')"
            )
        conn.execute("CREATE TABLE probe_fact_default PARTITION OF probe_fact_part DEFAULT")
        conn.execute("INSERT INTO probe_fact_part SELECT * FROM evaluation_appealfact")
        conn.execute("CREATE INDEX ON probe_fact_part (month, area_path)")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE probe_fact_part")
        conn.execute("VACUUM ANALYZE evaluation_appealfact")
        conn.autocommit = False
        log(f"{len(months)} fact partitions built in {time.perf_counter() - t0:.0f} s")
    picks = conn.execute(
        f"SELECT appeal_id, month FROM evaluation_appealfact ORDER BY random() LIMIT {SAMPLES}"
    ).fetchall()
    by_id = [(pk,) for pk, _ in picks]
    lookup = "SELECT * FROM {} WHERE appeal_id = %s{} FOR UPDATE"
    bench("fact_lookup.plain", timed(conn, lookup.format("evaluation_appealfact", ""), by_id))
    bench("fact_lookup.partitioned_by_id", timed(conn, lookup.format("probe_fact_part", ""), by_id))
    bench(
        "fact_lookup.partitioned_with_month",
        timed(conn, lookup.format("probe_fact_part", " AND month = %s"), list(picks)),
    )
    month = conn.execute("SELECT max(month) - interval '1 month' FROM evaluation_appealfact").fetchone()[0]
    monthly = "SELECT area_path, sum(counted), sum(done) FROM {} WHERE month = %s GROUP BY area_path"
    few = [(month.date(),)] * 20
    bench("fact_month_sum.plain", timed(conn, monthly.format("evaluation_appealfact"), few))
    bench("fact_month_sum.partitioned", timed(conn, monthly.format("probe_fact_part"), few))


def bench(name: str, value: float) -> None:
    print(f"BENCH probe.{name} {value:.3f}", flush=True)


def move_out_of_default() -> dict:
    """The daily job's own code (``linli.partitions.ensure_months``): the events above were dated over two years,
    before any month had its partition, so they all landed in the default partition."""
    import django

    django.setup()
    from linli.partitions import ensure_months

    return ensure_months("appeals_appealevent", "at")


def main(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    random.seed(1)
    with psycopg.connect(url) as conn:
        events(conn)
        facts(conn)


if __name__ == "__main__":
    main(sys.argv[1])
