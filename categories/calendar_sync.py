"""Fill the work calendar (工作日历) from the State Council's holiday schedule, as kept by ``chinesecalendar``.

Each year's schedule (放假安排: the holidays, and the weekend days made working days, 调休) is published late
in the year before. ``sync_year(year)`` writes that year's official days as ``CalendarDay`` rows with
``source=official``: it adds the missing ones, corrects changed ones and drops the ones the schedule no longer
has. Days the administrator set in the admin (``source=local``) are never touched, so a local override wins.
For a year the installed package does not know yet, nothing is written: deadlines that year count Monday to
Friday as working days, until the package is upgraded and the year synced again (or the administrator enters
the days by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from chinese_calendar.constants import Holiday, holidays, workdays
from django.db import transaction

from categories.models import CalendarDay

PACKAGE = "chinesecalendar"


def package_version() -> str:
    return version(PACKAGE)


def known_years() -> list[int]:
    """The years whose official schedule the installed package has."""
    return sorted({day.year for day in holidays})


def _chinese(name: str) -> str:
    try:
        return Holiday(name).chinese
    except ValueError:
        return name[:50]


def official_days(year: int) -> dict[date, tuple[bool, str]] | None:
    """``{date: (is_workday, name)}`` of the year's holidays and make-up working days; None if not known."""
    if year not in known_years():
        return None
    days = {d: (False, _chinese(n)) for d, n in holidays.items() if d.year == year}
    days.update({d: (True, f"{_chinese(n)}调休上班") for d, n in workdays.items() if d.year == year})
    return days


@dataclass
class SyncResult:
    year: int
    known: bool  # whether the package has the year's schedule
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    local: int = 0  # the administrator's days of the year, kept as they are


@transaction.atomic
def sync_year(year: int) -> SyncResult:
    """Bring the year's official days in line with the schedule; idempotent; local days are left alone."""
    official = official_days(year)
    rows = {
        row.date: row
        for row in CalendarDay.objects.select_for_update().filter(date__year=year).order_by("date")
    }
    result = SyncResult(year=year, known=official is not None)
    result.local = sum(1 for row in rows.values() if row.source == CalendarDay.Source.LOCAL)
    if official is None:
        return result
    for day, (is_workday, name) in sorted(official.items()):
        row = rows.get(day)
        if row is None:
            CalendarDay.objects.create(
                date=day, is_workday=is_workday, name=name, source=CalendarDay.Source.OFFICIAL
            )
            result.created += 1
        elif row.source == CalendarDay.Source.LOCAL:
            continue
        elif (row.is_workday, row.name) != (is_workday, name):
            row.is_workday, row.name = is_workday, name
            row.save(update_fields=["is_workday", "name"])
            result.updated += 1
        else:
            result.unchanged += 1
    stale = [
        row.pk
        for day, row in rows.items()
        if row.source == CalendarDay.Source.OFFICIAL and day not in official
    ]
    result.deleted = CalendarDay.objects.filter(pk__in=stale).delete()[0]
    return result


def ensure_years(years: list[int]) -> list[SyncResult]:
    """Sync each year that has no official day yet (cheap to call on every demo load)."""
    have = {
        d.year for d in CalendarDay.objects.filter(source=CalendarDay.Source.OFFICIAL).dates("date", "year")
    }
    return [sync_year(year) for year in years if year not in have]
