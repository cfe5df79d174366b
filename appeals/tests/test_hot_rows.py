"""No shared hot rows: intakes and steps in one place (same grid, category and month) never wait on each other.

One step's transaction is held open, its rows written and locked; a second one in the same place runs meanwhile with
lock waits forbidden (``lock_timeout``). Figures are appended as per-appeal facts and deltas (``evaluation.facts``),
so the second never needs a row the first holds. PostgreSQL only: SQLite locks the whole file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from appeals import services
from appeals.models import Appeal, Channel, Status
from categories.models import Category
from linli.testing import build_world, two_at_once

pytestmark = two_at_once()


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    w.category = Category.objects.create(
        code="HOT", name="测试类别", contact_hours=24, resolve_working_days=5
    )
    return w


def submit(w) -> Appeal:
    return services.appeal_submit(
        user=w.resident,
        title="楼道灯坏了",
        body="三楼楼道灯不亮。",
        channel=Channel.APP,
        category=w.category,
        building=w.b1a,
    )


def dispatched(w) -> Appeal:
    return services.appeal_dispatch(user=w.community, appeal_id=submit(w).pk, unit=w.pm1)


def while_held_open(first: Callable[[], object], second: Callable[[], object]) -> object:
    """Run ``first`` in a transaction another connection keeps open; meanwhile run ``second`` with lock waits
    forbidden, and check that nobody waits on a lock. Returns what ``second`` returned."""
    written, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                first()
                written.set()
                release.wait(30)
        except BaseException as exc:  # reported by the main thread
            failure.append(exc)
            written.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert written.wait(30) and not failure, failure
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a wait on the held rows fails the step
            result = second()
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                assert cursor.fetchone()[0] == 0
        return result
    finally:
        release.set()
        holder.join(30)
        assert not failure, failure


def test_two_intakes_in_one_grid_category_and_month_do_not_wait_on_each_other(w):
    # Given a resident's intake whose transaction is still open
    # When a second intake for the same building, category and month runs meanwhile
    second = while_held_open(lambda: submit(w), lambda: submit(w))
    # Then it went through without waiting, and both appeals are counted
    assert second.status == Status.SUBMITTED
    assert Appeal.objects.count() == 2


@pytest.mark.parametrize("step", ["accept", "complete", "rate"])
def test_a_step_on_one_appeal_does_not_wait_on_the_same_step_on_another(w, step):
    # Given two appeals of one place, each brought to just before the step
    a, b = dispatched(w), dispatched(w)
    for appeal in (a, b):
        if step in ("complete", "rate"):
            services.appeal_accept(user=w.unit, appeal_id=appeal.pk)
        if step == "rate":
            services.appeal_complete(user=w.unit, appeal_id=appeal.pk, report="已修好")
    run = {
        "accept": lambda pk: services.appeal_accept(user=w.unit, appeal_id=pk),
        "complete": lambda pk: services.appeal_complete(user=w.unit, appeal_id=pk, report="已修好"),
        "rate": lambda pk: services.appeal_rate(
            user=w.resident, appeal_id=pk, resolved=True, satisfaction="satisfied"
        ),
    }[step]

    # When the step on the first is held open and the same step on the second runs meanwhile
    second = while_held_open(lambda: run(a.pk), lambda: run(b.pk))

    # Then the second went through without waiting
    assert (
        second.status
        == {"accept": Status.ACCEPTED, "complete": Status.COMPLETED, "rate": Status.CLOSED}[step]
    )
