"""On PostgreSQL: intakes into the same grid share no row, and two folds at once claim disjoint deltas.

Transaction A files an appeal and stays open; transaction B files another into the same grid with a short
``lock_timeout`` and commits while A still holds its locks. Before the deltas, B waited on the five monthly cube
rows A had updated (and timed out here); now it writes only its own rows.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from appeals import services
from appeals.models import Appeal, Channel
from categories.models import Category
from evaluation.fold import fold_batch, fold_deltas
from evaluation.models import FigureCube, FigureDelta
from evaluation.tests.test_recount import cube_snapshot
from linli.testing import build_world, two_at_once

pytestmark = two_at_once()


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def _submit(w, category, title: str) -> Appeal:
    return services.appeal_submit(
        user=w.resident,
        title=title,
        body="三楼楼道灯不亮。",
        channel=Channel.APP,
        category=category,
        building=w.b1a,
    )


def test_two_intakes_into_the_same_grid_both_commit_without_waiting(w):
    category = Category.objects.create(code="HOT", name="测试类别")
    _submit(w, category, "先有一件")  # the month's cells exist already (the hot rows of the old design)
    fold_deltas()
    assert FigureCube.objects.exists()
    a_filed, b_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def a() -> None:
        try:
            with transaction.atomic():
                _submit(w, category, "甲")
                a_filed.set()
                assert b_done.wait(20), "B did not finish while A held its transaction"
        except BaseException as exc:  # noqa: BLE001  (reported to the test thread)
            errors.append(exc)
        finally:
            a_filed.set()
            connections.close_all()

    def b() -> None:
        try:
            assert a_filed.wait(20)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                _submit(w, category, "乙")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            b_done.set()
            connections.close_all()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert set(Appeal.objects.values_list("title", flat=True)) >= {"甲", "乙"}
    assert FigureDelta.objects.count() == 2


def test_two_folds_at_once_claim_disjoint_deltas_and_count_each_once(w):
    category = Category.objects.create(code="HOT", name="测试类别")
    for i in range(12):
        _submit(w, category, f"第{i}件")
    expected = cube_snapshot()
    barrier = threading.Barrier(2)
    folded: list[int] = []
    errors: list[BaseException] = []

    def fold() -> None:
        try:
            barrier.wait(10)
            folded.append(fold_deltas(limit=3))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fold) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    total = FigureDelta.objects.count()
    assert sum(folded) + total == 12 and fold_batch() == total
    assert not FigureDelta.objects.exists()
    assert cube_snapshot() == expected
