"""Monthly range partitions on PostgreSQL (declarative partitioning): turning a table into one, and keeping months
ahead of time. Nothing here runs on SQLite: there the tables stay plain and every function returns at once.

A table partitioned here has one partition per local month (``settings.TIME_ZONE``) named ``<table>_yYYYYmMM``,
bounded ``[first of the month 00:00, first of the next month 00:00)`` in local time, and a ``<table>_default``
partition that catches any row no month holds yet, so an insert never fails for lack of a partition.
``ensure_months`` (a recurring job) creates the months ahead and moves rows that landed in the default partition
into their month as it creates it (PostgreSQL refuses a new partition while the default holds rows of its range).

Django does not know: the model keeps ``id`` as its primary key and the same columns. On PostgreSQL the primary
key is ``(id, <column>)`` (a partitioned table's unique keys must hold the partition key), ``id`` stays an identity
column, and every secondary index, foreign key and check constraint keeps its name. Nothing may reference such
a table by foreign key, and it may have no other unique index (``partition_by_month`` refuses both).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

AHEAD = 3  # months created ahead of the current one
LOCK_TIMEOUT = "5s"  # a partition is never worth queueing live requests behind a long query


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_of(moment: datetime) -> date:
    local = moment.astimezone(_zone())
    return date(local.year, local.month, 1)


def bounds(month: date) -> tuple[datetime, datetime]:
    """The month's range as aware local midnights: [first of the month, first of the next)."""
    zone = _zone()
    following = add_months(month, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=zone),
        datetime(following.year, following.month, 1, tzinfo=zone),
    )


def partition_name(table: str, month: date) -> str:
    return f"{table}_y{month.year:04d}m{month.month:02d}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(moment: datetime) -> str:
    return f"'{moment.isoformat()}'::timestamptz"


def _range(month: date) -> str:
    lo, hi = bounds(month)
    return f"FROM ({_literal(lo)}) TO ({_literal(hi)})"


def is_partitioned(cursor: Any, table: str) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def _columns(cursor: Any, table: str) -> list[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def _months_with_rows(cursor: Any, table: str, column: str) -> list[date]:
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', {_q(column)} AT TIME ZONE %s)::date FROM {_q(table)}",
        [settings.TIME_ZONE],
    )
    return sorted(r[0] for r in cursor.fetchall())


def _window(now: datetime, ahead: int) -> list[date]:
    current = month_of(now)
    return [add_months(current, n) for n in range(0, ahead + 1)]


# -- turning a plain table into a partitioned one (a migration, in its transaction) ---------------------------


def _dependents(cursor: Any, table: str, key: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The table's secondary index definitions and its foreign key and check constraints (name, definition)."""
    cursor.execute(
        "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND confrelid = to_regclass(%s)",
        [table],
    )
    referencing = [r[0] for r in cursor.fetchall()]
    if referencing:
        raise ValueError(
            f"{table} is referenced by foreign keys from {referencing}: it cannot be partitioned"
        )
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid), indisunique FROM pg_index "
        "WHERE indrelid = to_regclass(%s) AND NOT indisprimary ORDER BY indexrelid",
        [table],
    )
    rows = cursor.fetchall()
    if any(unique for _, unique in rows):
        raise ValueError(f"{table} has a unique index other than its primary key: it cannot be partitioned")
    indexes = [definition.replace(" ON ONLY ", " ON ") for definition, _ in rows]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('f', 'c') ORDER BY conname",
        [table],
    )
    return indexes, list(cursor.fetchall())


def _identity(cursor: Any, table: str, key: str) -> tuple[str, int, bool]:
    """The identity sequence of ``key`` (unqualified name) and its state (last value, called)."""
    cursor.execute(
        "SELECT attidentity FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = %s", [table, key]
    )
    row = cursor.fetchone()
    if row is None or row[0] not in ("a", "d"):
        raise ValueError(f"{table}.{key} is not an identity column")
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_q(table), key])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
    last, called = cursor.fetchone()
    cursor.execute("SELECT relname FROM pg_class WHERE oid = %s::regclass", [sequence])
    return cursor.fetchone()[0], last, called


def _swap(cursor: Any, table: str, new: str, key: str, sequence: str, last: int, called: bool) -> None:
    """Rows already copied into ``new``: drop ``table``, give ``new`` its name and the sequence's state."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [_q(new), key])
    new_sequence = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s, %s)", [new_sequence, last, called])
    cursor.execute(f"DROP TABLE {_q(table)}")
    cursor.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
    cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {_q(sequence)}")
    cursor.execute(f"ALTER TABLE {_q(table)} RENAME CONSTRAINT {_q(new + '_pkey')} TO {_q(table + '_pkey')}")


def _restore(cursor: Any, table: str, indexes: list[str], constraints: list[tuple[str, str]]) -> None:
    for definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")


def partition_by_month(
    connection: Any,
    table: str,
    column: str,
    *,
    key: str = "id",
    ahead: int = AHEAD,
    now: datetime | None = None,
) -> list[str]:
    """Turn ``table`` into one partitioned by month of ``column``: a partition for every month that has rows and
    for the current month and ``ahead`` more, a default partition, the rows copied, names swapped, indexes and
    constraints recreated under their names, the identity sequence carried on. Must run inside a transaction
    (a migration's). Returns the partitions created; does nothing off PostgreSQL or when already partitioned."""
    if connection.vendor != "postgresql":
        return []
    new = f"{table}__new"
    with connection.cursor() as cursor:
        if is_partitioned(cursor, table):
            return []
        cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        indexes, constraints = _dependents(cursor, table, key)
        sequence, last, called = _identity(cursor, table, key)
        months = sorted(
            {*_months_with_rows(cursor, table, column), *_window(now or datetime.now(_zone()), ahead)}
        )
        cursor.execute(
            f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING STORAGE INCLUDING COMMENTS, CONSTRAINT {_q(new + '_pkey')} PRIMARY KEY "
            f"({_q(key)}, {_q(column)})) PARTITION BY RANGE ({_q(column)})"
        )
        created = []
        for month in months:
            name = partition_name(table, month)
            cursor.execute(f"CREATE TABLE {_q(name)} PARTITION OF {_q(new)} FOR VALUES {_range(month)}")
            created.append(name)
        cursor.execute(f"CREATE TABLE {_q(default_name(table))} PARTITION OF {_q(new)} DEFAULT")
        created.append(default_name(table))
        columns = ", ".join(_q(c) for c in _columns(cursor, table))
        cursor.execute(f"INSERT INTO {_q(new)} ({columns}) SELECT {columns} FROM {_q(table)}")
        _swap(cursor, table, new, key, sequence, last, called)
        _restore(cursor, table, indexes, constraints)
        cursor.execute(f"ANALYZE {_q(table)}")
    return created


def unpartition(connection: Any, table: str, *, key: str = "id") -> None:
    """The reverse: one plain table again, primary key ``key`` alone, same names (a migration's reverse)."""
    if connection.vendor != "postgresql":
        return
    new = f"{table}__new"
    with connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return
        cursor.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        indexes, constraints = _dependents(cursor, table, key)
        sequence, last, called = _identity(cursor, table, key)
        cursor.execute(
            f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING STORAGE INCLUDING COMMENTS, CONSTRAINT {_q(new + '_pkey')} PRIMARY KEY ({_q(key)}))"
        )
        columns = ", ".join(_q(c) for c in _columns(cursor, table))
        cursor.execute(f"INSERT INTO {_q(new)} ({columns}) SELECT {columns} FROM {_q(table)}")
        _swap(cursor, table, new, key, sequence, last, called)
        _restore(cursor, table, indexes, constraints)
        cursor.execute(f"ANALYZE {_q(table)}")


# -- keeping months ahead (the recurring job) ------------------------------------------------------------------


def _add_month(cursor: Any, table: str, column: str, month: date) -> int:
    """Create ``month``'s partition, moving its rows out of the default partition first. Returns rows moved.

    The new table is built detached, with a check constraint matching its bounds (so attaching does not scan it),
    filled from the default partition, then attached: attaching takes only a SHARE UPDATE EXCLUSIVE lock on the
    parent, where ``CREATE TABLE … PARTITION OF`` would take an ACCESS EXCLUSIVE one. The default partition is
    locked first, so no row of the month can land in it between the move and the attach."""
    name, default = partition_name(table, month), default_name(table)
    lo, hi = bounds(month)
    within = f"{_q(column)} >= {_literal(lo)} AND {_q(column)} < {_literal(hi)}"
    columns = ", ".join(_q(c) for c in _columns(cursor, table))
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    has_default = default in partitions(cursor, table)
    if has_default:
        cursor.execute(f"LOCK TABLE {_q(default)} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"ALTER TABLE {_q(name)} ADD CONSTRAINT {_q(name + '_bounds')} CHECK ({within})")
    moved = 0
    if has_default:
        cursor.execute(
            f"WITH moved AS (DELETE FROM {_q(default)} WHERE {within} RETURNING {columns}) "
            f"INSERT INTO {_q(name)} ({columns}) SELECT {columns} FROM moved"
        )
        moved = cursor.rowcount
    cursor.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES {_range(month)}")
    cursor.execute(f"ALTER TABLE {_q(name)} DROP CONSTRAINT {_q(name + '_bounds')}")
    return moved


def ensure_months(
    table: str, column: str, *, ahead: int = AHEAD, now: datetime | None = None, using: Any = None
) -> dict[str, Any]:
    """Create the partitions of the current month and ``ahead`` more, and of every month the default partition
    holds rows of (moving them in). Idempotent: a month that has its partition is left alone. One transaction
    per month. On SQLite, or when ``table`` is not partitioned, does nothing."""
    connection = using or default_connection
    if connection.vendor != "postgresql":
        return {"skipped": f"{connection.vendor}: tables are not partitioned"}
    with connection.cursor() as cursor:
        if not is_partitioned(cursor, table):
            return {"skipped": f"{table} is not partitioned"}
        existing = set(partitions(cursor, table))
        default = default_name(table)
        stray = _months_with_rows(cursor, default, column) if default in existing else []
    wanted: Iterable[date] = sorted({*_window(now or datetime.now(_zone()), ahead), *stray})
    created, moved = [], 0
    for month in wanted:
        if partition_name(table, month) in existing:
            continue
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            moved += _add_month(cursor, table, column, month)
        created.append(partition_name(table, month))
    return {"created": created, "moved": moved}
