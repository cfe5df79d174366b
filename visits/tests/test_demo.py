"""The demo step: two rounds in the main community, the grid worker's visits, special groups, one appeal."""

from __future__ import annotations

import pytest

from appeals.models import Appeal, Channel
from linli import clock
from visits import selectors as sel
from visits.demo import load_demo_visits
from visits.models import HouseholdTag, Round, Visit, VisitReferral

pytestmark = pytest.mark.django_db


def test_demo_visits(settings):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    demo = load_demo_district()
    made = load_demo_visits(demo)
    assert made > 10
    assert load_demo_visits(demo) == 0  # idempotent
    rounds = {r.kind: r for r in Round.objects.filter(area=demo.community)}
    assert set(rounds) == {Round.Kind.HALF_MONTH, Round.Kind.HUNDRED_DAYS}
    half = rounds[Round.Kind.HALF_MONTH].grids.get(worker__username="gridworker")
    cov = sel.grid_coverage(half, clock.now())
    assert 0 < cov.visited < cov.households and cov.overdue
    assert Visit.objects.filter(visitor__username="gridworker").count() == made
    ref = VisitReferral.objects.get()
    assert ref.appeal is not None and ref.appeal.channel == Channel.VISIT
    assert Appeal.objects.filter(channel=Channel.VISIT).count() == 1
    due = sel.care_due(HouseholdTag.objects.all(), clock.now())
    assert due and any(c.overdue for c in due) and not all(c.overdue for c in due)
