"""The retention sweep in the worker: personal fields of appeals finished longer ago than LINLI_RETENTION_YEARS."""

from __future__ import annotations

from audit.erasure import retention_sweep
from linli.schedule import recurring_task


@recurring_task
def retention_sweep_task() -> dict[str, int]:
    """Daily (linli.schedule.JOBS: personal_data_retention), retried and re-queued by the scheduler."""
    return retention_sweep()
