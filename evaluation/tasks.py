"""Background jobs: generate one report, and on the first of each month the reports of the month before.

The monthly job runs at 02:00 on the first of each month (``linli.schedule.JOBS``), which retries it and queues
the next month's run; ``schedule_monthly_reports()`` queues it unless one is waiting.
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone
from django_tasks import task

from areas.models import Area
from evaluation import selectors as sel
from evaluation.services import report_generate, report_request
from linli import clock, schedule
from linli.schedule import recurring_task

TASK_PATH = "evaluation.tasks.monthly_reports_task"
RUN_AT = time(2, 0)


@task()
def generate_report_task(report_id: int) -> str:
    return report_generate(report_id=report_id).status


def next_first_of_month(now: datetime) -> datetime:
    this = sel.month_of(now)
    return timezone.make_aware(datetime.combine(sel.add_months(this, 1), RUN_AT))


@recurring_task
def monthly_reports_task() -> int:
    """Queue last month's report for every district and subdistrict."""
    last_month = sel.add_months(sel.month_of(clock.now()), -1)
    areas = Area.objects.filter(kind__in=[Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT]).order_by("path")
    count = 0
    for area in areas:
        report_request(user=None, area=area, month=last_month)
        count += 1
    return count


@recurring_task
def fold_figures_task() -> int:
    """Add the figure deltas that appeal steps appended into the cube (``evaluation.fold``). Returns how many."""
    from evaluation.fold import fold_deltas

    return fold_deltas()


def schedule_monthly_reports() -> bool:
    """Queue the next monthly run unless one is already waiting. Returns whether one was queued."""
    return schedule.ensure(schedule.job_named("monthly_reports"))
