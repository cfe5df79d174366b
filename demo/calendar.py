"""Demo step (first of ``demo.loader.DEMO_STEPS``): the work calendar of the years the demo history spans.

The demo replays two years of appeals, and their 办结时限 count working days: without the official holidays
and 调休 days, 国庆 and 春节 would count as working days. ``make run`` syncs these years before loading the
demo; this step makes sure of it for any other way the demo is loaded (tests, a bare ``load_demo``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from appeals.demo import DAYS
from categories.calendar_sync import ensure_years, known_years
from linli import clock


def demo_years() -> list[int]:
    today = timezone.localdate(clock.now())
    return list(range((today - timedelta(days=DAYS)).year, today.year + 2))


def ensure_demo_calendar(demo: Any, stdout: TextIO | None = None) -> None:
    """Idempotent: syncs only the years without any official day yet."""
    synced = ensure_years(demo_years())
    if stdout is None:
        return
    filled = [r for r in synced if r.known]
    if filled:
        stdout.write(
            "工作日历：" + "、".join(f"{r.year} 年 {r.created} 天" for r in filled) + "（国家放假安排）\n"
        )
    known = known_years()
    for r in synced:
        if not r.known:
            stdout.write(
                f"工作日历：{r.year} 年放假安排尚未收录（收录至 {known[-1]} 年），按周一至周五计算\n"
            )
