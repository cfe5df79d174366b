"""Early warning (预警): a grid, or a top-level category in a community, whose count this week is far above its
own baseline (the weekly mean of the previous 8 weeks, read as a Poisson rate) is flagged once per week to the
community and subdistrict staff above it."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from access.models import Role
from appeals.models import Appeal
from areas.models import Area
from audit.models import record
from categories.models import Category
from linli import clock
from notifications.services import notify
from triage.models import EarlyWarning

BASELINE_WEEKS = 8
MIN_COUNT = 5  # a handful of appeals is never a spike
MIN_SCORE = 3.0  # (count - baseline) / sqrt(max(baseline, 1))


def score(count: int, baseline: float) -> float:
    return (count - baseline) / math.sqrt(max(baseline, 1.0))


def _week_index(at: datetime, end: datetime) -> int:
    """0 for the last 7 days before ``end``, 1 for the 7 days before that, …"""
    return int((end - at).total_seconds() // (7 * 86400))


def spikes(now: datetime | None = None) -> list[dict]:
    """What is far above its baseline in the last 7 days: one dict per grid or (community, category)."""
    end = now or clock.now()
    start = end - timedelta(weeks=BASELINE_WEEKS + 1)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * (BASELINE_WEEKS + 1))
    rows = Appeal.objects.filter(submitted_at__gte=start, submitted_at__lt=end).values_list(
        "grid_id", "community_id", "category_id", "category__parent_id", "submitted_at"
    )
    for grid_id, community_id, category_id, parent_id, at in rows.iterator(chunk_size=5000):
        week = _week_index(at, end)
        if week > BASELINE_WEEKS:
            continue
        if grid_id:
            counts[("grid", grid_id, None)][week] += 1
        top = parent_id or category_id
        if top:
            counts[("category", community_id, top)][week] += 1
    found = []
    for (kind, area_id, category_id), weeks in counts.items():
        current, baseline = weeks[0], sum(weeks[1:]) / BASELINE_WEEKS
        z = score(current, baseline)
        if current >= MIN_COUNT and z >= MIN_SCORE:
            found.append(
                {
                    "kind": kind,
                    "area_id": area_id,
                    "category_id": category_id,
                    "count": current,
                    "baseline": baseline,
                    "score": z,
                }
            )
    return found


def _staff_above(area: Area):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            role_assignments__role__in=[Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF],
            role_assignments__area_id__in=area.ancestor_ids(),
            is_active=True,
        )
        .distinct()
    )


@transaction.atomic
def early_warning_scan(*, now: datetime | None = None) -> list[EarlyWarning]:
    """Record this week's new spikes and notify the staff above them (each spike once per week)."""
    now = now or clock.now()
    week_start: date = timezone.localdate(now) - timedelta(days=6)
    created = []
    for spike in spikes(now):
        area = Area.objects.get(pk=spike["area_id"])
        category = Category.objects.filter(pk=spike["category_id"]).first() if spike["category_id"] else None
        same_week = EarlyWarning.objects.filter(
            kind=spike["kind"], area=area, category=category, week_start__gt=week_start - timedelta(days=7)
        )
        if same_week.exists():
            continue
        warning = EarlyWarning.objects.create(
            kind=spike["kind"],
            area=area,
            category=category,
            week_start=week_start,
            count=spike["count"],
            baseline=round(spike["baseline"], 2),
            score=round(spike["score"], 2),
            area_path=area.path,
            created_at=now,
        )
        what = f"{area.name}“{category.name}”类诉求" if category else f"{area.name}的诉求"
        title = f"预警：{what}本周 {warning.count} 件，常态每周 {warning.baseline:.1f} 件"
        record(actor=None, action="warn", obj=warning, summary=title)
        notify(users=_staff_above(area), title=title, url="/triage/hotspots/")
        created.append(warning)
    return created
