"""What routing reads on every suggestion, kept in memory per process: the category tree, the routing rules, the
active units (whom each serves, which categories each declared), and the finished appeals of each community.

A suggestion then makes no query for them. They are loaded again when they may have changed:

- **Tables** (categories, rules, units). A change to any of them (``post_save``/``post_delete`` of a category,
  area, unit or rule, a unit's areas or categories ticked) clears this process's copy at once and touches a stamp
  file beside the model (``TRIAGE_MODEL_PATH``'s directory, ``tables.stamp``); every process compares the stamp's
  time with the one it loaded under (one ``stat``, no query) and reloads when it moved, and in any case after
  ``TABLES_SECONDS`` (a safety net for bulk updates that send no signal).
- **History** (finished appeals of a community, for ``triage.routing``'s history source). An appeal saved in this
  process clears its community's copy; other processes reload a community's copy after ``HISTORY_SECONDS``, so a
  suggestion there counts what was finished up to a few minutes ago. Each copy covers the look-back of the moment
  asked for (``since``): asking further back loads it again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
from django.conf import settings
from django.db import transaction

from appeals.models import Appeal, Satisfaction, Status
from categories.models import Category
from triage.models import RoutingRule
from units.models import Unit

TABLES_SECONDS = 300.0
HISTORY_SECONDS = 300.0
FINISHED = (Status.COMPLETED, Status.CLOSED)
GOOD = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)

_lock = threading.Lock()
T = TypeVar("T")


# ---- the tables --------------------------------------------------------------------------------------------------
@dataclass
class Tables:
    categories: dict[int, Category]  # active or not, each with its parent attached
    by_code: dict[str, Category]
    rules: dict[tuple[int, int], RoutingRule]  # (category, area) → the rule, with its unit, area and category
    units: dict[int, Unit]  # active units
    duty: dict[int, tuple[int, ...]]  # category → active units that declared it (by kind, code)
    served: dict[int, frozenset[int]]  # area → active units serving it (``Unit.areas_served``)
    homes: list[tuple[str, int]]  # (home area's path, unit) of every active unit
    _serving: dict[str, dict[int, Unit]] = field(default_factory=dict)
    _derived: dict[str, Any] = field(default_factory=dict)

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """What another app's routing source reads on every call (a 小区's firm by building, a street's
        departments), built once per copy of the tables by ``build`` and dropped with them. The app makes a
        change to its rows move the stamp (``follow``)."""
        if name not in self._derived:
            self._derived[name] = build()
        return cast(T, self._derived[name])

    def chain(self, category: Category) -> list[Category]:
        """The category and its ancestors, the category first (from the tables: no query)."""
        node = self.categories.get(category.pk, category)
        chain = [node]
        while chain[-1].parent_id is not None and chain[-1].parent_id in self.categories:
            chain.append(self.categories[chain[-1].parent_id])
        return chain

    def serving(self, community_path: str) -> dict[int, Unit]:
        """Active units that may take the community's appeals: those serving it or an area above it, and its own
        (``appeals.selectors.units_serving``, computed from the tables), in (kind, code) order."""
        found = self._serving.get(community_path)
        if found is None:
            ids: set[int] = set()
            for area_id in (int(p) for p in community_path.strip("/").split("/") if p):
                ids |= self.served.get(area_id, frozenset())
            ids |= {unit for home, unit in self.homes if home.startswith(community_path)}
            units = sorted((self.units[i] for i in ids), key=lambda u: (u.kind, u.code))
            found = self._serving[community_path] = {u.pk: u for u in units}
        return found


def _load_tables() -> Tables:
    categories = {c.pk: c for c in Category.objects.all()}
    for category in categories.values():
        if category.parent_id is not None and category.parent_id in categories:
            category.parent = categories[category.parent_id]
    units = {u.pk: u for u in Unit.objects.filter(is_active=True)}
    rules: dict[tuple[int, int], RoutingRule] = {}
    for rule in RoutingRule.objects.filter(unit__is_active=True).select_related("area"):
        rule.unit = units[rule.unit_id]
        rule.category = categories[rule.category_id]
        rules[(rule.category_id, rule.area_id)] = rule
    duty: dict[int, list[int]] = {}
    declared = Unit.categories.through.objects.filter(unit_id__in=list(units)).values_list(
        "category_id", "unit_id"
    )
    for category_id, unit_id in declared:
        duty.setdefault(category_id, []).append(unit_id)
    served: dict[int, set[int]] = {}
    areas = Unit.areas_served.through.objects.filter(unit_id__in=list(units)).values_list(
        "area_id", "unit_id"
    )
    for area_id, unit_id in areas:
        served.setdefault(area_id, set()).add(unit_id)
    homes = list(Unit.objects.filter(is_active=True).values_list("home_area__path", "pk"))

    def order(unit_id: int) -> tuple[str, str]:
        return units[unit_id].kind, units[unit_id].code

    return Tables(
        categories=categories,
        by_code={c.code: c for c in categories.values()},
        rules=rules,
        units=units,
        duty={c: tuple(sorted(us, key=order)) for c, us in duty.items()},
        served={a: frozenset(us) for a, us in served.items()},
        homes=[(path, pk) for path, pk in homes],
    )


def stamp_path() -> Path:
    return _stamp_path(str(settings.TRIAGE_MODEL_PATH))


@lru_cache(maxsize=8)
def _stamp_path(model_path: str) -> Path:
    return Path(model_path).with_name("tables.stamp")


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


_tables: dict[str, Any] = {}  # "path", "stamp", "at", "tables"


def tables() -> Tables:
    """This process's copy of the tables, loaded again when the stamp moved or it is ``TABLES_SECONDS`` old."""
    path = stamp_path()
    stamp = _stamp(path)
    now = time.monotonic()
    cached = _tables.get("tables")
    if (
        cached is not None
        and _tables["path"] == path
        and _tables["stamp"] == stamp
        and now - _tables["at"] < TABLES_SECONDS
    ):
        return cached
    with _lock:
        loaded = _load_tables()
        _tables.update(path=path, stamp=stamp, at=now, tables=loaded)
        return loaded


def tables_changed() -> None:
    """Forget this process's copy and move the stamp (now and, inside a transaction, again once it commits: a
    process that reloaded in between read the old rows)."""
    _tables.clear()
    _touch()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_touch)


def _touch() -> None:
    _tables.clear()
    path = stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        moved = max(time.time_ns(), _stamp(path) + 1)  # always moves, whatever the clock's grain
        path.touch()
        os.utime(path, ns=(moved, moved))
    except OSError:  # a read-only deployment directory: the time limit still reloads the tables
        pass


# ---- history: the finished appeals of a community -------------------------------------------------------------
@dataclass(frozen=True)
class Finished:
    """A community's finished appeals (dispatched to a unit), as arrays: one entry per appeal."""

    since: datetime
    pk: np.ndarray
    category: np.ndarray
    unit: np.ndarray
    completed: np.ndarray  # seconds since the epoch
    rated: np.ndarray  # bool
    good: np.ndarray  # bool: satisfied or basically satisfied


_history: dict[int, tuple[float, Finished]] = {}


def finished(community_id: int, since: datetime) -> Finished:
    """The community's appeals finished since ``since`` (or earlier: the copy may cover more) by a unit."""
    now = time.monotonic()
    cached = _history.get(community_id)
    if cached is not None and now - cached[0] < HISTORY_SECONDS and cached[1].since <= since:
        return cached[1]
    rows = list(
        Appeal.objects.filter(
            community_id=community_id,
            status__in=FINISHED,
            unit__isnull=False,
            completed_at__gte=since,
        ).values_list("pk", "category_id", "unit_id", "completed_at", "satisfaction")
    )
    loaded = Finished(
        since=since,
        pk=np.array([r[0] for r in rows], dtype=np.int64),
        category=np.array([r[1] or 0 for r in rows], dtype=np.int64),
        unit=np.array([r[2] for r in rows], dtype=np.int64),
        completed=np.array([r[3].timestamp() if r[3] else 0.0 for r in rows], dtype=np.float64),
        rated=np.array([bool(r[4]) for r in rows], dtype=bool),
        good=np.array([r[4] in GOOD for r in rows], dtype=bool),
    )
    _history[community_id] = (now, loaded)
    return loaded


def history_changed(community_id: int | None) -> None:
    """An appeal of this community changed in this process: its finished appeals are read again when next asked."""
    if community_id is None:
        _history.clear()
    else:
        _history.pop(community_id, None)


def forget() -> None:
    """Drop every copy (tests that change rows behind the signals' back)."""
    _tables.clear()
    _history.clear()
