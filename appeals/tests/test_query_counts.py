"""Reads decided once per list, not once per appeal: the appeals list API takes the same number of queries for 2
appeals as for 12, and the raisers' phones of many appeals in detail are decided together (``appeals.contacts``),
each the same as for the appeal alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from appeals import services
from appeals.models import Appeal, Channel
from appeals.serializers import AppealDetailSerializer
from audit.models import PersonalDataView
from linli.testing import api_client
from people.models import Person

pytestmark = pytest.mark.django_db


def raise_appeals(world, n: int, *, start: int = 0) -> None:
    for i in range(start, start + n):
        appeal = services.appeal_submit(
            user=world.resident,
            title=f"楼道灯坏了 {i}",
            body="3 单元楼道灯坏了，老人晚上下楼看不见。",
            channel=Channel.APP,
            building=world.b1a,
            is_anonymous=i % 3 == 2,
        )
        if i % 2:
            services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)


def list_queries(user) -> tuple[int, int]:
    client = api_client(user)
    client.get("/api/appeals/")  # warm: the session, the user's scope
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/appeals/")
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("persona", ["community", "unit", "resident"])
def test_the_appeals_list_takes_as_many_queries_for_twelve_appeals_as_for_two(world, persona):
    raise_appeals(world, 2)
    few, shown_few = list_queries(getattr(world, persona))
    raise_appeals(world, 10, start=2)
    many, shown_many = list_queries(getattr(world, persona))
    assert shown_many > shown_few > 0
    assert many == few, (few, many)
    assert many <= 12


@pytest.mark.parametrize("persona", ["community", "unit", "resident", "gridworker"])
def test_many_appeals_in_detail_decide_the_raisers_phones_once(world, persona):
    raise_appeals(world, 6)
    user = getattr(world, persona)
    request = APIRequestFactory().get("/api/appeals/")
    request.user = user
    appeals = list(
        Appeal.objects.select_related("category", "community", "grid", "unit", "raised_by")
        .prefetch_related("whistle_parts")
        .order_by("pk")
    )
    alone = {
        a.pk: AppealDetailSerializer(a, context={"request": request}).data["raised_by_phone"] for a in appeals
    }
    logged = PersonalDataView.objects.count()
    with CaptureQueriesContext(connection) as queries:
        serializer = AppealDetailSerializer(appeals, many=True, context={"request": request})
        together = {row["id"]: row["raised_by_phone"] for row in serializer.data}
    assert together == alone
    phone_queries = [
        q["sql"] for q in queries if "people_person" in q["sql"] or "audit_personaldataview" in q["sql"]
    ]
    assert len(phone_queries) <= 2, phone_queries
    # someone else's full number shown is in the access log for the list too (one's own is not logged)
    own = set(Person.objects.filter(user=user).values_list("pk", flat=True))
    shown_in_full = {a.raised_by_id for a in appeals if together[a.pk] == a.raised_by.phone} - own
    assert (PersonalDataView.objects.count() > logged) == bool(shown_in_full)
