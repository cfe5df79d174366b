"""The queue's filters are one definition (appeals.filters): the API is strict, a page is lenient, and both
filter by the dashboard's drill-down fields (area, months, channel)."""

from __future__ import annotations

from datetime import date

import pytest

from access.scope import Scope
from appeals import services
from appeals.filters import queue_filters
from appeals.models import Channel
from appeals.selectors import QueueFilters, queue

pytestmark = pytest.mark.django_db


def _file(world, title: str, channel: str = Channel.APP, grid=None):
    return services.appeal_submit(
        user=world.resident, title=title, body="楼道灯不亮", channel=channel, grid=grid or world.g1a
    )


def test_the_api_refuses_a_malformed_filter_with_the_fields_message(world, api_client_for):
    client = api_client_for("community")
    for query, field in [("month=2026-13", "month"), ("area=abc", "area"), ("channel=pigeon", "channel")]:
        response = client.get(f"/api/appeals/?{query}")
        assert response.status_code == 400, query
        assert field in response.json(), response.json()
    response = client.get("/api/appeals/?month_from=2026-11&month_to=2026-10")
    assert response.status_code == 400
    assert "month_to" in response.json()


def test_the_api_filters_by_area_and_channel_as_the_dashboard_drills_down(world, api_client_for):
    here = _file(world, "幸福一网格的诉求")
    there = _file(world, "幸福二网格的诉求", grid=world.g1b)
    hotline = _file(world, "热线诉求", channel=Channel.HOTLINE)
    client = api_client_for("community")
    ids = {row["id"] for row in client.get(f"/api/appeals/?area={world.g1a.pk}").json()["results"]}
    assert here.pk in ids and hotline.pk in ids and there.pk not in ids
    ids = {row["id"] for row in client.get("/api/appeals/?channel=hotline").json()["results"]}
    assert ids == {hotline.pk}


def test_a_page_drops_a_malformed_value_and_keeps_the_rest(world):
    filters = QueueFilters.from_query({"month": "2026-99", "area": "x", "channel": "hotline", "q": "灯"})
    assert (filters.month_from, filters.area, filters.channel, filters.q) == (None, None, "hotline", "灯")
    assert filters.status == "open"  # the page shows open appeals unless told otherwise
    filters = QueueFilters.from_query({"month": "2026-11"})
    assert filters.month_from == filters.month_to == date(2026, 11, 1)
    assert queue_filters({}).status == ""  # the API: every status


def test_page_and_api_read_one_query_string_alike(world):
    _file(world, "一件诉求")
    query = {"area": str(world.c1.pk), "channel": "app", "sort": "newest", "status": ""}
    scope = Scope.of(world.community)
    page = list(queue(scope, QueueFilters.from_query(query)))
    api = list(queue(scope, queue_filters(query)))
    assert page == api and page
