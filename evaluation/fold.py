"""Fold the figure deltas into the cube: the ``fold_figures`` job (``linli.schedule.JOBS``), safe with many workers.

A fold claims a batch of delta rows, adds their sums to the cube cells of every grain and deletes them, all in one
transaction, so a reader (one statement over cube + deltas, ``evaluation.selectors.Cells``) sees each delta
exactly once: before the commit in the delta table, after it in the cube. Claiming:

- PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` — two folds take disjoint batches and never wait on a batch;
  the cube cells are then updated in one fixed key order, so two folds never wait on each other crosswise;
- SQLite: one writer at a time; the claimed rows are deleted first (taking the write lock) and the number
  deleted must equal the number read, else the fold rolls back and counts nothing.

Idempotent: a delta row is added to the cube in the transaction that deletes it, so it is folded at most once,
and a fold with nothing to claim changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from evaluation.models import (
    CLOSE_BUCKETS,
    CONTACT_BUCKETS,
    CUBE_KEY,
    GRAINS,
    MEASURES,
    FigureCube,
    FigureDelta,
    grain_key,
)

VALUES = (*MEASURES, *CONTACT_BUCKETS, *CLOSE_BUCKETS)
KEY = ("kind", "month", "area_path", "subdistrict", "community", "grid", "unit", "category", "channel")
BATCH = 5000

CellKey = tuple[Any, ...]
Changes = dict[CellKey, tuple[dict, dict[str, int]]]


class FoldConflict(RuntimeError):
    """Another fold deleted some of the claimed deltas first (only possible without row locks)."""


def add_to_cells(changes: Changes, values: dict[str, Any], delta: dict[str, int]) -> None:
    """Add ``delta`` to every grain's cell of the full-grain key in ``values`` (collected, not yet written)."""
    for grain in GRAINS:
        key = grain_key(values, grain)
        token = tuple(str(v) for v in key.values())
        area = {
            "subdistrict": values["subdistrict"],
            "community": values["community"],
            "grid": values["grid"],
        }
        entry = changes.setdefault(token, (key | area, {}))
        for measure, v in delta.items():
            entry[1][measure] = entry[1].get(measure, 0) + v


def write_cells(changes: Changes) -> int:
    """Apply the collected sums, cell by cell in key order (a fixed lock order for concurrent folds)."""
    written = 0
    for token in sorted(changes):
        row, delta = changes[token]
        delta = {k: v for k, v in delta.items() if v}
        if not delta:
            continue
        written += 1
        key = {k: row[k] for k in ("grain", *CUBE_KEY)}
        cell = FigureCube.objects.filter(**key)
        if cell.update(**{k: F(k) + v for k, v in delta.items()}):
            continue
        try:
            with transaction.atomic():
                FigureCube.objects.create(**row, **delta)
        except IntegrityError:  # another fold created the cell at the same moment
            cell.update(**{k: F(k) + v for k, v in delta.items()})
    return written


def fold_batch(limit: int = BATCH) -> int:
    """Fold at most ``limit`` deltas (the oldest first, skipping any another fold holds). Returns how many."""
    with transaction.atomic():
        claimed = FigureDelta.objects.order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            claimed = claimed.select_for_update(skip_locked=True)
        rows = list(claimed.values("id", *KEY, *VALUES)[:limit])
        if not rows:
            return 0
        deleted, _ = FigureDelta.objects.filter(id__in=[r["id"] for r in rows]).delete()
        if deleted != len(rows):
            raise FoldConflict(f"claimed {len(rows)} deltas but deleted {deleted}")
        changes: Changes = {}
        for row in rows:
            add_to_cells(changes, row, {k: row[k] for k in VALUES if row[k]})
        write_cells(changes)
    return len(rows)


def fold_deltas(*, limit: int = BATCH, batches: int = 100) -> int:
    """Fold every delta there is (in batches of ``limit``, at most ``batches`` of them). Returns how many."""
    folded = 0
    for _ in range(batches):
        n = fold_batch(limit)
        folded += n
        if n < limit:
            break
    return folded
