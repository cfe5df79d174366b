"""The work calendar (工作日历): synced from the official schedule, overridden locally, and counted by deadlines.

Dates from chinesecalendar 1.11.0 (the State Council's 2026 schedule): 春节 2026-02-15..23 with make-up
working Saturdays 02-14 and 02-28; 国庆 and its week 2026-10-01..07 with make-up working days Sunday 09-20 and
Saturday 10-10. The package has no 2027 schedule yet.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from appeals import services
from appeals.models import Appeal, Channel
from appeals.supervision import supervise_overdue
from categories.calendar_sync import known_years
from categories.deadlines import add_working_days
from categories.models import CalendarDay, Category
from linli import clock

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
OFFICIAL, LOCAL = CalendarDay.Source.OFFICIAL, CalendarDay.Source.LOCAL


def at(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=CST)


def sync(*years: int) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("sync_calendar", *map(str, years), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def day(d: date) -> CalendarDay:
    return CalendarDay.objects.get(date=d)


def dispatched_at(world, moment: datetime, working_days: int) -> Appeal:
    """An appeal of a category with ``working_days`` to resolve, raised and dispatched to 幸福物业 at ``moment``."""
    category = Category.objects.create(
        code=f"T{working_days}", name="物业管理", contact_hours=24, resolve_working_days=working_days
    )
    with clock.at(moment):
        appeal = services.appeal_submit(
            user=world.resident,
            title="楼道灯坏了",
            body="3 单元楼道灯坏了一周，老人晚上下楼看不见。",
            channel=Channel.APP,
            category=category,
            building=world.b1a,
        )
        return services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)


# ---- the sync ---------------------------------------------------------------------------------------------------
def test_sync_writes_the_official_holidays_and_make_up_working_days():
    # when the administrator syncs 2026
    out, err = sync(2026)
    # then 国庆 and 春节 are rest days and their make-up days working days, all marked as official
    assert "2026 年工作日历：新增" in out and not err
    for d in range(1, 8):
        assert (day(date(2026, 10, d)).is_workday, day(date(2026, 10, d)).name) == (False, "国庆节")
    for d in range(15, 24):
        assert day(date(2026, 2, d)).is_workday is False
    for make_up in (date(2026, 9, 20), date(2026, 10, 10), date(2026, 2, 14), date(2026, 2, 28)):
        assert day(make_up).is_workday is True and day(make_up).name.endswith("调休上班")
    assert not CalendarDay.objects.exclude(source=OFFICIAL).exists()
    # and only 2026 was touched
    assert not CalendarDay.objects.exclude(date__year=2026).exists()


def test_sync_again_changes_nothing_and_corrects_a_changed_official_day():
    sync(2026)
    before = list(CalendarDay.objects.values_list("date", "is_workday", "name", "source"))
    # when it runs again, then nothing changes
    out, _ = sync(2026)
    assert "新增 0 天，更正 0 天，删除 0 天" in out
    assert list(CalendarDay.objects.values_list("date", "is_workday", "name", "source")) == before
    # given an official row that no longer matches the schedule, and one the schedule does not have
    CalendarDay.objects.filter(date=date(2026, 10, 10)).update(is_workday=False)
    CalendarDay.objects.create(date=date(2026, 3, 3), is_workday=False, name="旧安排", source=OFFICIAL)
    # when synced, then both follow the schedule again
    out, _ = sync(2026)
    assert "更正 1 天，删除 1 天" in out
    assert day(date(2026, 10, 10)).is_workday is True
    assert not CalendarDay.objects.filter(date=date(2026, 3, 3)).exists()


def test_the_administrators_days_win_over_the_sync(world, client_for):
    sync(2026)
    admin = client_for("admin")
    # given the administrator turns the make-up Saturday 10-10 into a rest day in the admin
    make_up = day(date(2026, 10, 10))
    response = admin.post(
        f"/admin/categories/calendarday/{make_up.pk}/change/",
        {"date": "2026-10-10", "name": "本区不调休", "_save": "保存"},  # is_workday unticked
    )
    assert response.status_code == 302
    # and adds Friday 10-09 as a local holiday
    response = admin.post(
        "/admin/categories/calendarday/add/",
        {"date": "2026-10-09", "name": "区里统一补休", "_save": "保存"},
    )
    assert response.status_code == 302
    assert (day(date(2026, 10, 10)).is_workday, day(date(2026, 10, 10)).source) == (False, LOCAL)
    assert (day(date(2026, 10, 9)).is_workday, day(date(2026, 10, 9)).source) == (False, LOCAL)
    # when the year is synced again
    out, _ = sync(2026)
    # then both local days stay as the administrator set them, and the list tells them apart
    assert "保留本地调整 2 天" in out
    assert (day(date(2026, 10, 10)).is_workday, day(date(2026, 10, 10)).name) == (False, "本区不调休")
    assert day(date(2026, 10, 9)).is_workday is False
    listing = admin.get("/admin/categories/calendarday/?source__exact=local").content.decode()
    assert "本区不调休" in listing and "区里统一补休" in listing and "国庆节调休上班" not in listing
    # and deadlines follow them: from Wednesday 09-30, 2 working days end on Monday 10-12, not Friday 10-09
    assert add_working_days(at(2026, 9, 30), 2) == at(2026, 10, 12)


def test_a_year_the_package_lacks_falls_back_to_weekends_with_a_warning():
    assert 2027 not in known_years(), (
        "chinesecalendar now has 2027: replace this test with deadlines crossing 春节 2027"
    )
    # given a local day the administrator entered for 2027 already
    CalendarDay.objects.create(date=date(2027, 2, 8), is_workday=False, name="春节", source=LOCAL)
    # when 2027 is synced, then the command warns and writes nothing
    out, err = sync(2027)
    assert "2027 年" in err and "按周一至周五" in err and "保留本地调整 1 天" in err
    assert CalendarDay.objects.count() == 1
    # and deadlines that year skip weekends and the administrator's day: Thursday 02-04 + 3 = Wednesday 02-10
    assert add_working_days(at(2027, 2, 4), 3) == at(2027, 2, 10)


def test_a_sync_that_loses_a_race_says_so(monkeypatch):
    # given another sync of 2026 writes the same day first (the unique date refuses the second row)
    def clash(year):
        raise IntegrityError("UNIQUE constraint failed: categories_calendarday.date")

    monkeypatch.setattr("categories.management.commands.sync_calendar.sync_year", clash)
    # then the command fails with a plain message, not a traceback
    with pytest.raises(CommandError, match="请再运行一次"):
        sync(2026)


def test_bad_years_are_refused():
    with pytest.raises(CommandError, match="四位年份"):
        sync(26)


# ---- deadlines across holidays ----------------------------------------------------------------------------------
def test_a_deadline_starting_before_national_day_ends_after_it(world):
    sync(2026)
    # given an appeal dispatched on Wednesday 09-30 with 5 working days to resolve
    appeal = dispatched_at(world, at(2026, 9, 30, 10), 5)
    # then the holiday week does not count, the make-up Saturday 10-10 does:
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon, 10-13 Tue
    assert appeal.resolve_due == at(2026, 10, 13, 10)


def test_a_deadline_starting_before_the_spring_festival_ends_after_it(world):
    sync(2026)
    # given an appeal dispatched on Friday 02-13 afternoon with 3 working days
    appeal = dispatched_at(world, at(2026, 2, 13, 15), 3)
    # then: Saturday 02-14 (调休), then the holiday 02-15..23, then Tuesday 02-24 and Wednesday 02-25
    assert appeal.resolve_due == at(2026, 2, 25, 15)


def test_a_make_up_saturday_is_a_working_day(world):
    sync(2026)
    # given an appeal dispatched on Friday 10-09 with 1 working day
    appeal = dispatched_at(world, at(2026, 10, 9), 1)
    # then it is due on the make-up Saturday 10-10, not on Monday
    assert appeal.resolve_due == at(2026, 10, 10)
    # and the make-up Sunday 09-20 counts too: Saturday 09-19 + 1 working day
    assert add_working_days(at(2026, 9, 19), 1) == at(2026, 9, 20)


def test_without_the_calendar_the_holidays_would_count():
    # the same start as above with an empty calendar: due inside the holiday week (what this work fixed)
    assert add_working_days(at(2026, 9, 30, 10), 5) == at(2026, 10, 7, 10)


def test_an_overdue_sweep_on_a_holiday_does_not_count_the_holiday(world):
    sync(2026)
    # given an appeal dispatched Monday 09-28 with 3 working days, accepted at once
    appeal = dispatched_at(world, at(2026, 9, 28), 3)
    with clock.at(at(2026, 9, 28, 10)):
        services.appeal_accept(user=world.unit, appeal_id=appeal.pk, note="已电话联系居民")
    assert appeal.resolve_due == at(2026, 10, 8)  # 09-29, 09-30, then 10-08
    # when the worker's sweep runs on 10-05, in the holiday, then the appeal is not overdue
    assert supervise_overdue(now=at(2026, 10, 5, 12))["resolve"] == 0
    appeal.refresh_from_db()
    assert not appeal.resolve_overdue
    # and the first sweep after the deadline on 10-08 flags it
    assert supervise_overdue(now=at(2026, 10, 8) + timedelta(minutes=5))["resolve"] == 1
    appeal.refresh_from_db()
    assert appeal.resolve_overdue
