"""The demo step: two topics in the main demo community, one finished, one with an owners' vote open now."""

from __future__ import annotations

import time

import pytest

from access.scope import Scope
from deliberation.demo import load_demo_deliberation
from deliberation.models import Topic, Vote
from deliberation.selectors import open_votes_for
from linli import clock

pytestmark = pytest.mark.django_db


def test_demo_deliberations(settings):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    demo = load_demo_district()
    started = time.monotonic()
    assert load_demo_deliberation(demo) == 2
    assert time.monotonic() - started < 10
    assert load_demo_deliberation(demo) == 0  # idempotent
    topics = {t.title: t for t in Topic.objects.filter(community=demo.community)}
    parking = topics["小区停车位划线"]
    assert parking.status == Topic.Status.DONE and parking.template.code == "5yi"
    lift = next(t for t in topics.values() if t.title.endswith("加装电梯"))
    assert lift.status == Topic.Status.ACTIVE and lift.current_step.name == "开展协商"
    vote = lift.votes.get()
    assert vote.status == Vote.Status.OPEN and vote.ballots.filter(channel="paper").exists()
    from django.contrib.auth import get_user_model

    resident = get_user_model().objects.get(username="resident")
    assert vote in open_votes_for(Scope.of(resident), clock.now())
