"""What the scheduler remembers: each recurring job's state, each run of it, and each worker's heartbeat.

The task rows themselves stay in django-tasks' table (``django_tasks_db.DBTaskResult``); these rows say which
period a run was for, how it ended, and whether the worker that claimed a task is still alive.
"""

from __future__ import annotations

from django.db import models


class JobState(models.Model):
    """One row per recurring job of ``linli.schedule.JOBS``: what is queued next and how the last runs went."""

    name = models.CharField("任务", max_length=64, primary_key=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True)
    next_task_id = models.UUIDField("下次运行的任务编号", null=True, blank=True)
    last_success_at = models.DateTimeField("上次成功", null=True, blank=True)
    last_failure_at = models.DateTimeField("上次失败", null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField("连续失败次数", default=0)
    # SQLite has no advisory locks: a lease on this row stands in for one (jobs.locks).
    lease_holder = models.CharField(max_length=100, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One attempt of one recurring job for one period: the record the operator reads."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"
        SKIPPED = "skipped", "跳过"
        LOST = "lost", "进程中断"

    job = models.CharField("任务", max_length=64, db_index=True)
    scheduled_for = models.DateTimeField("计划时间", null=True, blank=True)
    attempt = models.PositiveSmallIntegerField("第几次尝试", default=1)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField("开始", db_index=True)
    finished_at = models.DateTimeField("结束", null=True, blank=True)
    task_id = models.UUIDField("任务编号", null=True, blank=True, db_index=True)
    worker = models.CharField("后台进程", max_length=100, blank=True, default="")
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True, default="")
    retry_at = models.DateTimeField("重试时间", null=True, blank=True)

    class Meta:
        verbose_name = "定时任务运行记录"
        verbose_name_plural = "定时任务运行记录"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.job} #{self.attempt} {self.get_status_display()}"


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive. A task claimed by a worker whose heartbeat stopped is re-queued."""

    worker_id = models.CharField("进程编号", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=200)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动")
    last_seen = models.DateTimeField("最近心跳", db_index=True)
    # True when a heartbeat thread keeps last_seen fresh (manage.py jobs_worker); a plain db_worker only
    # beats when it starts a task, so its liveness is judged by its process id or the task's age instead.
    beating = models.BooleanField("持续心跳", default=False)

    class Meta:
        verbose_name = "后台进程"
        verbose_name_plural = "后台进程"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
