"""The query budget of the hot paths: 点单 through the API (a resident, and community staff recording for one) and
each step of 接单 → 办结 → 评单. Each request is counted as it arrives in production: token authentication, the
scope, the step, the figures' fact and delta rows, the notifications, and the answer's body. A new query on these
paths makes a test here fail: look at what it reads, and read it with something already read, or not at all.

``SAVEPOINT``/``RELEASE`` lines are the test's own transaction around the request (in production they are the
request's ``BEGIN``/``COMMIT``) and are left out of the counts.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from access.tokens import token_issue
from appeals.models import Appeal, AppealEvent, Status
from evaluation.models import AppealFact, FigureDelta
from notifications.models import Notification

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
# On PostgreSQL the new appeal's notifications are written from the staff query itself (one statement);
# elsewhere the staff are read first.
INTAKE_RESIDENT = 9 if POSTGRES else 10
INTAKE_STAFF = 11 if POSTGRES else 12
ACCEPT = 15
COMPLETE = 17
RATE = 11


def token_client(user) -> APIClient:
    """A client that authenticates as production clients do: with an API token on every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user, name='budget')[1]}")
    client.post("/api/appeals/", {}, format="json")  # first use: the token's last_used_at is written once
    return client


def counted(client: APIClient, path: str, body: dict) -> tuple[int, list[str], dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, body, format="json")
    assert response.status_code in (200, 201), response.content
    sql = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sql), sql, response.json()


@pytest.fixture
def intake_body(world, category):
    return {
        "title": "楼道灯坏了",
        "body": "三楼楼道灯不亮，晚上上下楼很不方便。",
        "building": world.b1a.pk,
        "category": category.pk,
    }


def test_a_residents_intake_stays_within_its_query_budget(world, intake_body):
    # Given a resident's app, signed in with a token
    resident = token_client(world.resident)

    # When the resident files an appeal
    n, sql, answer = counted(resident, "/api/appeals/", intake_body)

    # Then it took the budgeted queries, and wrote the appeal, its event, its fact and delta, and the staff's inbox
    assert n == INTAKE_RESIDENT, "\n".join(sql)
    appeal = Appeal.objects.get(pk=answer["id"])
    assert appeal.status == Status.SUBMITTED and appeal.raised_by == world.resident_person
    assert AppealEvent.objects.filter(appeal=appeal, action="submit").count() == 1
    assert AppealFact.objects.filter(pk=appeal.pk, counted=1, open=1).exists()
    assert FigureDelta.objects.filter(counted=1, open=1).count() == 1
    assert list(Notification.objects.filter(url=f"/appeals/{appeal.pk}/").values_list("user", flat=True)) == [
        world.community.pk
    ]


def test_community_staff_recording_for_a_resident_stays_within_its_query_budget(world, intake_body):
    # Given the community's staff on the hotline, recording for a resident
    staff = token_client(world.community)

    # When they file the appeal for the resident
    body = {**intake_body, "raised_by": world.resident_person.pk, "channel": "hotline"}
    n, sql, answer = counted(staff, "/api/appeals/", body)

    # Then it took the budgeted queries and the appeal is the resident's
    assert n == INTAKE_STAFF, "\n".join(sql)
    appeal = Appeal.objects.get(pk=answer["id"])
    assert appeal.raised_by == world.resident_person and appeal.recorded_by == world.community


def test_each_step_of_accept_complete_rate_stays_within_its_query_budget(world, dispatched):
    # Given an appeal dispatched to the property company
    unit, resident = token_client(world.unit), token_client(world.resident)
    base = f"/api/appeals/{dispatched.pk}"

    # When the unit accepts and completes it and the resident rates it, each step is counted
    steps = [
        (unit, "accept", {}, ACCEPT, "accepted"),
        (unit, "complete", {"report": "已更换灯泡并检查线路。"}, COMPLETE, "completed"),
        (resident, "rate", {"resolved": True, "satisfaction": "satisfied"}, RATE, "closed"),
    ]
    for client, action, body, budget, status in steps:
        n, sql, answer = counted(client, f"{base}/{action}/", body)
        # Then each stayed within its budget and answered the appeal as it now is
        assert n == budget, (action, "\n".join(sql))
        assert answer["status"] == status
    assert AppealFact.objects.get(pk=dispatched.pk).satisfied == 1
