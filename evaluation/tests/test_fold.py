"""Figure deltas: a step appends rows of its own, the fold job adds them into the cube, reads are exact throughout.

The dashboards read cube + deltas not yet folded in one statement, so every figure equals a recount of the raw
rows right after a step (no worker run), after a fold, and after folding again (a fold is idempotent).
"""

from __future__ import annotations

import pytest

from evaluation.fold import fold_batch, fold_deltas
from evaluation.models import FigureCube, FigureDelta
from evaluation.tests.stories import make_stories
from evaluation.tests.test_recount import check_all, cube_snapshot


@pytest.fixture
def stories(world):
    return make_stories(world)


def test_steps_write_deltas_not_cube_rows_and_figures_are_exact_before_and_after_folding(world, stories):
    # given: the stories happened; no worker has run, so the cube is empty and every change is a delta
    assert FigureDelta.objects.exists() and not FigureCube.objects.exists()
    check_all(world)  # exact with nothing folded
    before = cube_snapshot()
    # when: the fold runs in small batches
    folded = fold_deltas(limit=7)
    # then: every delta went into the cube and was deleted, and every figure is unchanged and exact
    assert folded > 0 and not FigureDelta.objects.exists()
    assert cube_snapshot() == before
    check_all(world)
    # and folding again changes nothing
    cells = list(FigureCube.objects.order_by("pk").values())
    assert fold_deltas() == 0 and fold_batch() == 0
    assert list(FigureCube.objects.order_by("pk").values()) == cells


def test_a_step_after_a_fold_is_exact_before_the_next_fold(world, stories):
    fold_deltas()
    # when: one more appeal is filed right after the fold
    stories.player.submit(where="g1b")
    # then: its delta waits for the next fold, and the figures count it already
    assert FigureDelta.objects.count() >= 1
    check_all(world)
    before = cube_snapshot()
    fold_deltas()
    assert cube_snapshot() == before
    check_all(world)
