"""The same visit form sent twice at once (a weak signal's resend racing the first send) on PostgreSQL: one visit,
and both answers name it."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from linli.testing import build_world, race
from visits import services
from visits.models import Visit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent connections"
    ),
]


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def test_a_double_submitted_visit_is_one_visit(w):
    key = uuid.uuid4()

    def send():
        visit, created = services.visit_log(
            user=w.gridworker, household=w.h1a, key=key, seen=[w.resident_person]
        )
        return visit.pk, created

    results = race([send, send])
    assert Visit.objects.count() == 1
    assert {pk for pk, _ in results} == {Visit.objects.get().pk}
    assert sorted(created for _, created in results) == [False, True]


def test_an_appeal_double_submitted_from_a_visit_is_one_appeal(w):
    from appeals.models import Appeal

    visit, _ = services.visit_log(
        user=w.gridworker, household=w.h1a, key=uuid.uuid4(), seen=[w.resident_person]
    )
    key = uuid.uuid4()

    def send():
        return services.visit_raise_appeal(
            user=w.gridworker, visit_id=visit.pk, key=key, title="漏水", body="楼上漏水"
        ).pk

    results = race([send, send])
    assert Appeal.objects.count() == 1 and results[0] == results[1]
