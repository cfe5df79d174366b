"""Which month the figures open on: the last full one, whatever day it is, with the month under way one click
away. The clock is set to fixed days (the first days of a month, the turn of a year); never the real date."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from evaluation import selectors as sel

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "moment, shown",
    [
        (datetime(2026, 12, 2, 9, 30, tzinfo=CST), date(2026, 11, 1)),  # the 2nd: the month has hardly begun
        (datetime(2026, 12, 1, 0, 5, tzinfo=CST), date(2026, 11, 1)),  # five minutes into a month
        (datetime(2026, 11, 30, 23, 55, tzinfo=CST), date(2026, 10, 1)),  # a month's last minutes
        (datetime(2027, 1, 1, 0, 30, tzinfo=CST), date(2026, 12, 1)),  # the turn of a year
        (
            datetime(2027, 1, 1, 7, 0, tzinfo=CST),
            date(2026, 12, 1),
        ),  # still 31 December in UTC: months are local
    ],
)
def test_no_month_given_means_the_last_full_month(clock_at, moment, shown):
    clock_at(moment)
    period = sel.parse_period("")
    assert period.start == period.end == shown
    assert period.is_last_full_month and not period.reaches_current_month


def test_the_dashboard_says_which_month_it_shows_and_links_to_the_current_one(world, client_for, clock_at):
    # given the second of December
    clock_at(datetime(2026, 12, 2, 9, 30, tzinfo=CST))
    # when the district leader opens the figures without choosing a month
    page = client_for("district").get(f"/evaluation/area/{world.d.pk}/")
    text = page.content.decode()
    # then they read November, are told so, and December is one click away
    assert page.status_code == 200 and page.context["period"].param == "2026-11"
    assert "2026年11月" in text and "显示上一个完整月份" in text
    assert "month=2026-12" in text and "查看本月（截至 12月2日）" in text
    # and the month under way says that it is not over
    current = client_for("district").get(f"/evaluation/area/{world.d.pk}/", {"month": "2026-12"})
    assert "本月尚未结束（截至 12月2日）" in current.content.decode()


def test_rankings_and_api_open_on_the_same_month(world, client_for, api_client_for, clock_at):
    clock_at(datetime(2027, 1, 1, 8, 0, tzinfo=CST))
    rankings = client_for("district").get("/evaluation/rankings/", {"area": world.d.pk})
    assert rankings.status_code == 200 and rankings.context["period"].param == "2026-12"
    api = api_client_for("district").get("/api/figures/", {"area": "D"})
    assert api.status_code == 200 and api.json()["month"] == "2026-12"
