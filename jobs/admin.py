"""The operator's view of background work: each recurring job's next run and last outcome, each run, each
worker's heartbeat. Read-only, for administrators (the rows are written by the scheduler only)."""

from __future__ import annotations

from django.contrib import admin

from jobs.models import JobRun, JobState, WorkerHeartbeat
from linli.admin import ReadOnlyForAdministrator


@admin.register(JobState)
class JobStateAdmin(ReadOnlyForAdministrator):
    list_display = [
        "name",
        "title",
        "period",
        "next_run_at",
        "last_success_at",
        "last_failure_at",
        "consecutive_failures",
    ]

    @admin.display(description="名称")
    def title(self, obj: JobState) -> str:
        from linli.schedule import job_named

        try:
            return job_named(obj.name).title
        except KeyError:
            return "（已不在任务表中）"

    @admin.display(description="周期")
    def period(self, obj: JobState) -> str:
        from linli.schedule import job_named

        try:
            return job_named(obj.name).describe()
        except KeyError:
            return "—"


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyForAdministrator):
    list_display = [
        "job",
        "scheduled_for",
        "attempt",
        "status",
        "started_at",
        "finished_at",
        "retry_at",
        "error",
    ]
    list_filter = ["status", "job"]
    date_hierarchy = "started_at"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyForAdministrator):
    list_display = ["worker_id", "host", "pid", "started_at", "last_seen", "beating"]
