"""Two people at once on PostgreSQL: two nominations of one household (one wins, the other hears 409) and two panel
members scoring one nomination (both count)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from campaigns import services
from campaigns.models import Campaign, Nomination, Score
from linli import clock
from linli.errors import TransitionError
from linli.testing import build_world, race

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


@pytest.fixture
def campaign(w):
    return services.campaign_create(
        user=w.community, community=w.c1, kind=Campaign.Kind.FAMILY, title="最美家庭", places=3,
        nominations_close=clock.now() + timedelta(days=3), criteria=[("和睦", 50), ("互助", 50)],
        panel=[w.community, w.gridleader],
    )  # fmt: skip


def attempt(fn):
    def run():
        try:
            return fn()
        except TransitionError as exc:
            return exc

    return run


def test_two_nominations_of_one_household_at_once(w, campaign):
    results = race([
        attempt(lambda: services.nomination_create(user=w.resident, campaign_id=campaign.pk, household=w.h1a2, reason="好")),
        attempt(lambda: services.nomination_create(user=w.gridworker, campaign_id=campaign.pk, household=w.h1a2, reason="好")),
    ])  # fmt: skip
    assert Nomination.objects.count() == 1
    assert sum(isinstance(r, TransitionError) for r in results) == 1
    assert "已被提名" in str(next(r for r in results if isinstance(r, TransitionError)))


def test_two_panel_members_scoring_at_once_both_count(w, campaign):
    n = services.nomination_create(user=w.community, campaign_id=campaign.pk, household=w.h1a, reason="好")
    services.campaign_review(user=w.community, campaign_id=campaign.pk)
    a, b = campaign.criteria.values_list("pk", flat=True)
    race([
        lambda: services.score_submit(user=w.community, nomination_id=n.pk, points={a: 40, b: 40}),
        lambda: services.score_submit(user=w.gridleader, nomination_id=n.pk, points={a: 30, b: 30}),
    ])  # fmt: skip
    n.refresh_from_db()
    assert Score.objects.filter(nomination=n).count() == 4 and n.total == 70
