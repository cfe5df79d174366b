"""Early warnings follow their area when it moves in the tree (``areas.signals.area_moved``)."""

from __future__ import annotations

from datetime import date

import pytest

from areas.services import area_move
from linli import clock
from triage.models import EarlyWarning

pytestmark = pytest.mark.django_db


def test_a_moved_grids_warning_goes_to_the_staff_above_its_new_place(world):
    warning = EarlyWarning.objects.create(
        kind=EarlyWarning.Kind.GRID,
        area=world.g1b,
        week_start=date(2025, 3, 3),
        count=12,
        baseline=2.0,
        score=5.0,
        area_path=world.g1b.path,
        created_at=clock.now(),
    )
    area_move(actor=world.admin, area=world.g1b, new_parent=world.c2)
    world.g1b.refresh_from_db()
    warning.refresh_from_db()
    assert warning.area_path == world.g1b.path
    assert EarlyWarning.objects.filter(area_path__startswith=world.c2.path).get() == warning
    assert not EarlyWarning.objects.filter(area_path__startswith=world.c1.path).exists()
