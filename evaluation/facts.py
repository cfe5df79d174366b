"""What one appeal contributes to the figures, and moving that contribution in the cube when it changes.

``fact_values(appeal)`` is the definition, in Python, of every measure for one appeal (the same rules as the
set-based SQL in ``evaluation.rebuild``, and as written in ``docs/figures.md``). ``refresh_fact(appeal)``
runs inside an appeal step's transaction: it locks the appeal's own fact row, and when anything changed, inserts
delta rows (``FigureDelta``: minus the old contribution, plus the new one, at the full grain) and updates the fact
row. It writes no shared row: concurrent steps on appeals of the same grid or month never wait on each other.
The ``fold_figures`` job adds the deltas into the cube (``evaluation.fold``); reads add the unfolded ones.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Appeal, Satisfaction, Status, TriageKind
from categories.models import Category
from evaluation.models import (
    CLOSE_BUCKETS,
    CONTACT_BUCKETS,
    MEASURES,
    AppealFact,
    FigureDelta,
    bucket_of,
)

FACT_FIELDS = (
    "kind",
    "month",
    "area_path",
    "subdistrict",
    "community",
    "grid",
    "unit",
    "category",
    "category_leaf",
    "channel",
    "contact_seconds",
    "close_seconds",
    "contact_bucket",
    "close_bucket",
    *MEASURES,
)


def month_of(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def _seconds(start: datetime, end: datetime | None) -> int | None:
    """Whole seconds between two moments, as floor(epoch(end)) - floor(epoch(start)), never negative."""
    return None if end is None else max(0, math.floor(end.timestamp()) - math.floor(start.timestamp()))


def root_category_id(leaf_id: int | None, leaf: Category | None = None) -> int:
    """The top of the leaf's branch (the tree is at most three deep). ``leaf``, when given with its parent already
    loaded (``select_related("parent")``) or without a parent, answers without a query."""
    if not leaf_id:
        return 0
    if leaf is not None and leaf.pk == leaf_id:
        if leaf.parent_id is None:
            return leaf_id
        if Category.parent.is_cached(leaf):
            return leaf.parent.parent_id or leaf.parent_id  # type: ignore[union-attr]
    parent, grandparent = Category.objects.filter(pk=leaf_id).values_list(
        "parent_id", "parent__parent_id"
    ).first() or (None, None)
    return grandparent or parent or leaf_id


def fact_values(appeal: Appeal, *, whistled: bool, root_category: int) -> dict[str, Any]:
    """Every dimension and measure of one appeal (the rules of docs/figures.md)."""
    status = appeal.status
    counted = status not in (Status.MERGED, Status.WITHDRAWN)
    contacted = appeal.contacted_at is not None
    done = appeal.completed_at is not None
    rated = appeal.rated_at is not None and bool(appeal.satisfaction)
    responded = (
        contacted
        and not appeal.contact_overdue
        and (appeal.contact_due is None or appeal.contacted_at <= appeal.contact_due)  # type: ignore[operator]
    )
    on_time = (
        done
        and not appeal.resolve_overdue
        and (appeal.resolve_due is None or appeal.completed_at <= appeal.resolve_due)  # type: ignore[operator]
    )
    measures = {
        "counted": counted,
        "merged": status == Status.MERGED,
        "withdrawn": status == Status.WITHDRAWN,
        "contacted": contacted,
        "response_due": contacted or appeal.contact_overdue,
        "responded": responded,
        "rated": rated,
        "resolved": rated and appeal.resolved is True,
        "satisfied": rated and appeal.satisfaction == Satisfaction.SATISFIED,
        "basically": rated and appeal.satisfaction == Satisfaction.BASICALLY,
        "done": done,
        "due": done or appeal.resolve_overdue,
        "on_time": on_time,
        "overdue": appeal.contact_overdue or appeal.resolve_overdue,
        "open": status in OPEN_STATUSES,
        "reopened": appeal.reopen_count > 0,
        "reopen_base": done or appeal.reopen_count > 0,
        "whistled": whistled,
        "returned": appeal.return_count > 0,
        "answered": appeal.triage_kind == TriageKind.ANSWER,
    }
    values: dict[str, Any] = {
        m: int(bool(v) and (counted or m in ("merged", "withdrawn"))) for m, v in measures.items()
    }
    contact = _seconds(appeal.submitted_at, appeal.contacted_at) if counted else None
    close = _seconds(appeal.submitted_at, appeal.completed_at) if counted else None
    community = appeal.community
    values.update(
        kind=appeal.kind,
        month=month_of(appeal.submitted_at),
        area_path=appeal.area_path,
        subdistrict=community.parent_id or 0,
        community=appeal.community_id,
        grid=appeal.grid_id or 0,
        unit=appeal.unit_id or 0,
        category=root_category,
        category_leaf=appeal.category_id or 0,
        channel=appeal.channel,
        contact_seconds=contact,
        close_seconds=close,
        contact_bucket=bucket_of(contact),
        close_bucket=bucket_of(close),
    )
    return values


def _contribution(values: dict[str, Any]) -> dict[str, int]:
    out = {m: values[m] for m in MEASURES if values[m]}
    if values["contact_bucket"] >= 0:
        out[CONTACT_BUCKETS[values["contact_bucket"]]] = 1
    if values["close_bucket"] >= 0:
        out[CLOSE_BUCKETS[values["close_bucket"]]] = 1
    return out


DELTA_KEY = ("kind", "month", "area_path", "subdistrict", "community", "grid", "unit", "category", "channel")


def _deltas(parts: list[tuple[dict[str, Any], dict[str, int]]]) -> list[FigureDelta]:
    """One delta row per full-grain cell the step changes (−old and +new in one row when the cell is the same)."""
    cells: dict[tuple, dict[str, int]] = {}
    keys: dict[tuple, dict[str, Any]] = {}
    for values, change in parts:
        token = tuple(values[k] for k in DELTA_KEY)
        keys[token] = {k: values[k] for k in DELTA_KEY}
        into = cells.setdefault(token, {})
        for measure, v in change.items():
            into[measure] = into.get(measure, 0) + v
    return [
        FigureDelta(**keys[token], **nonzero)
        for token, change in cells.items()
        if (nonzero := {k: v for k, v in change.items() if v})
    ]


@transaction.atomic(savepoint=False)  # inside the step's transaction: no savepoint round trips of its own
def refresh_fact(appeal: Appeal, *, whistled: bool = False, created: bool = False) -> bool:
    """Bring the appeal's fact row and its cube cells up to date. Returns whether anything changed.

    ``created``: the appeal was inserted in this very transaction (its submit step), so it has no fact row and no
    whistle parts yet, and neither is looked up.
    """
    old = None if created else AppealFact.objects.select_for_update().filter(pk=appeal.pk).first()
    if not whistled and old is not None:
        whistled = bool(old.whistled)  # type: ignore[attr-defined]
    elif not whistled and not created:
        whistled = appeal.whistle_parts.exists()
    if old is not None and old.category_leaf == (appeal.category_id or 0):
        root = old.category
    else:
        root = root_category_id(
            appeal.category_id, appeal.category if Appeal.category.is_cached(appeal) else None
        )
    new = fact_values(appeal, whistled=whistled, root_category=root)
    if old is None:
        AppealFact.objects.create(appeal_id=appeal.pk, **new)
        FigureDelta.objects.bulk_create(_deltas([(new, _contribution(new))]))
        return True
    old_values = {f: getattr(old, f) for f in FACT_FIELDS}
    if old_values == new:
        return False
    removed = {k: -v for k, v in _contribution(old_values).items()}
    FigureDelta.objects.bulk_create(_deltas([(old_values, removed), (new, _contribution(new))]))
    AppealFact.objects.filter(pk=appeal.pk).update(**new)
    return True
