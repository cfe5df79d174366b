"""Deadlines from a category: first contact in hours, resolution in working days (weekends and holidays skipped)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from categories.models import CalendarDay, Category

DEFAULT_CONTACT_HOURS = 24
DEFAULT_RESOLVE_WORKING_DAYS = 5


def _exceptions(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def is_workday(day: date, exceptions: dict[date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day ``days`` working days after ``start`` (a start on a rest day counts from the next workday)."""
    exceptions = _exceptions(start.date(), start.date() + timedelta(days=days * 3 + 30))
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_workday(current.date(), exceptions):
            remaining -= 1
    return current


def deadlines_for(category: Category | None, start: datetime) -> tuple[datetime, datetime]:
    """(contact_due, resolve_due) for work dispatched at ``start``."""
    hours = category.contact_hours if category else DEFAULT_CONTACT_HOURS
    days = category.resolve_working_days if category else DEFAULT_RESOLVE_WORKING_DAYS
    return start + timedelta(hours=hours), add_working_days(start, days)
