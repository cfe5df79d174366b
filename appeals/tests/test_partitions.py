"""The timeline table partitioned by month on PostgreSQL (``appeals`` migration 0008, ``linli.partitions``): rows go
to their month, the default partition catches the rest and the daily job moves them out, the timeline query reads
only the months since submission, and the job is idempotent. On SQLite the table stays plain and the job does
nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access.scope import Scope
from appeals import services
from appeals.models import Appeal, AppealEvent, Channel
from appeals.tasks import ensure_event_partitions
from appeals.timeline import visible_events
from linli import clock, schedule
from linli.partitions import add_months, default_name, ensure_months, month_of, partition_name, partitions

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
TABLE = AppealEvent._meta.db_table


def postgres_only(test):
    skip = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"
    )
    return pytest.mark.postgres(skip(test))


def submit(world, category, at: datetime) -> Appeal:
    with clock.at(at):
        return services.appeal_submit(
            user=world.resident,
            title="楼道灯坏了",
            body="3 单元楼道灯坏了一周。",
            channel=Channel.APP,
            category=category,
            building=world.b1a,
        )


def home_of(event: AppealEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [event.pk])
        return cursor.fetchone()[0]


def test_the_job_is_in_the_schedule():
    job = schedule.job_named("event_partitions")
    assert job.task_path == "appeals.tasks.event_partitions_task"
    assert schedule._task_of(job).takes_context  # declared with @recurring_task


@pytest.mark.skipif(connection.vendor == "postgresql", reason="on PostgreSQL the table is partitioned")
def test_on_sqlite_the_table_stays_plain_and_the_job_does_nothing(world, category):
    submit(world, category, datetime(2019, 3, 5, 10, tzinfo=CST))
    assert ensure_months(TABLE, "at") == {"skipped": "sqlite: tables are not partitioned"}
    assert ensure_event_partitions() == {"skipped": "sqlite: tables are not partitioned"}


@postgres_only
def test_the_table_is_partitioned_by_month_with_a_composite_key_and_a_default():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_partkeydef(c.oid), c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [TABLE],
        )
        assert cursor.fetchone() == ("RANGE (at)", "p")
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) AND contype = 'p'",
            [TABLE],
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, at)"
        names = partitions(cursor, TABLE)
    this_month = month_of(datetime.now(CST))
    assert default_name(TABLE) in names
    for n in range(4):  # this month and three ahead, made by the migration
        assert partition_name(TABLE, add_months(this_month, n)) in names


@postgres_only
def test_an_event_goes_to_its_months_partition(world, category):
    now = datetime.now(CST)
    appeal = submit(world, category, now)
    event = appeal.events.get()
    assert home_of(event) == partition_name(TABLE, month_of(now))
    assert event.pk == AppealEvent.objects.get(pk=event.pk).pk  # Django still finds it by id alone


@postgres_only
def test_the_default_partition_catches_a_month_without_one_and_the_job_moves_it_idempotently(world, category):
    old = datetime(2019, 3, 5, 10, tzinfo=CST)
    appeal = submit(world, category, old)
    services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)  # now: its own month
    submit_event = appeal.events.get(action="submit")
    assert home_of(submit_event) == default_name(TABLE)

    first = ensure_months(TABLE, "at", now=datetime.now(CST))
    assert first["moved"] == 1 and partition_name(TABLE, month_of(old)) in first["created"]
    assert home_of(submit_event) == partition_name(TABLE, month_of(old))
    assert ensure_months(TABLE, "at", now=datetime.now(CST)) == {"created": [], "moved": 0}
    assert ensure_event_partitions() == {"created": [], "moved": 0}  # the job itself: nothing left to do
    # the moved row keeps its id, its indexes and foreign keys hold, and the timeline still reads it
    actions = [e.action for e in visible_events(Scope.of(world.community), appeal)]
    assert actions == ["submit", "dispatch"]


@postgres_only
def test_the_job_creates_months_ahead_and_a_second_run_creates_none():
    later = datetime.now(CST) + timedelta(days=400)
    first = ensure_months(TABLE, "at", now=later)
    expected = [partition_name(TABLE, add_months(month_of(later), n)) for n in range(4)]
    assert first == {"created": expected, "moved": 0}
    assert ensure_months(TABLE, "at", now=later) == {"created": [], "moved": 0}


@postgres_only
def test_the_timeline_query_reads_only_the_months_since_submission(world, category):
    now = datetime.now(CST)
    earlier = [add_months(month_of(now), -n) for n in (1, 2, 3)]
    ensure_months(TABLE, "at", now=datetime(earlier[-1].year, earlier[-1].month, 15, tzinfo=CST))
    appeal = submit(world, category, now)
    with CaptureQueriesContext(connection) as ctx:
        visible_events(Scope.of(world.community), appeal)
    (sql,) = [q["sql"] for q in ctx.captured_queries if TABLE in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert partition_name(TABLE, month_of(now)) in plan
    for month in earlier:
        assert partition_name(TABLE, month) not in plan, plan
