from __future__ import annotations

import pytest

from jobs.tests import tasks
from linli import schedule


@pytest.fixture
def test_jobs(monkeypatch):
    """The scheduler's table holds only the two test jobs; their plan is reset."""
    monkeypatch.setattr(schedule, "JOBS", (tasks.FLAKY, tasks.OTHER))
    tasks.PLAN.update(fail=0, sleep=0.0)
    tasks.CALLS.clear()
    return schedule
