"""``GET /healthz``: is this instance fit to serve? 200 when every part is, 503 naming the part that is not.

Parts: the database answers (when it does not, the parts that read it are not checked: ``"ok": null``); every
migration is applied; the overdue sweep (the recurring job every deadline depends on) succeeded recently; a worker
is alive (a ``jobs_worker`` heartbeat younger than ``LINLI_WORKER_HEARTBEAT_SECONDS``, 90) and taking tasks (none
waits long past its time); media is writable.
For the load balancer and the monitoring: no login, and nothing in the answer about residents.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli import clock
from linli.overload import OUTAGE

SWEEP_TASK = "appeals.tasks.supervise_overdue_task"


def _bound(name: str, minutes: int) -> timedelta:
    return timedelta(minutes=getattr(settings, name, minutes))


def check_database() -> str:
    if OUTAGE.down():  # the requests found the server away: say so now, not after the pool's timeout
        raise RuntimeError(f"无法连接：{OUTAGE.detail}")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        OUTAGE.check()
        raise
    return "可连接"


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"还有 {len(plan)} 个数据库迁移未执行（manage.py migrate）")
    return "已全部执行"


def check_sweep() -> str:
    from django_tasks_db.models import DBTaskResult

    bound = _bound("LINLI_HEALTH_SWEEP_MINUTES", 15)
    last = (
        DBTaskResult.objects.filter(task_path=SWEEP_TASK, status="SUCCESSFUL", finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        raise RuntimeError("超时巡查从未成功运行（manage.py schedule_jobs，并启动 db_worker）")
    age = clock.now() - last
    if age > bound:
        raise RuntimeError(f"超时巡查上次成功在 {int(age.total_seconds() // 60)} 分钟前，超过 {bound} 的界限")
    return f"{int(age.total_seconds())} 秒前成功"


def check_worker() -> str:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from jobs.models import WorkerHeartbeat
    from jobs.workers import heartbeat_bound

    beat = heartbeat_bound()
    last_beat = (
        WorkerHeartbeat.objects.filter(beating=True)
        .order_by("-last_seen")
        .values_list("last_seen", flat=True)
        .first()
    )
    if last_beat is None:
        raise RuntimeError("没有后台进程的心跳：后台进程（manage.py jobs_worker）没有运行")
    silent = timezone.now() - last_beat
    if silent > beat:
        raise RuntimeError(
            f"后台进程最近一次心跳在 {int(silent.total_seconds())} 秒前，超过 {int(beat.total_seconds())} 秒的界限："
            "后台进程可能已停止"
        )
    bound = _bound("LINLI_HEALTH_WORKER_MINUTES", 10)
    late = DBTaskResult.objects.filter(status="READY", run_after__lt=clock.now() - bound).count()
    if late:
        raise RuntimeError(
            f"{late} 个后台任务已过执行时间 {bound} 仍未被领取：后台进程（db_worker）可能没有运行"
        )
    return f"{int(silent.total_seconds())} 秒前有心跳，按时领取任务"


def check_media() -> str:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".healthz-"):
        pass
    return "可写"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "migrations": check_migrations,
    "sweep": check_sweep,
    "worker": check_worker,
    "media": check_media,
}


NEED_DATABASE = ("migrations", "sweep", "worker")


def run_checks() -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        if name in NEED_DATABASE and not results["database"]["ok"]:  # each would wait for the pool in vain
            results[name] = {"ok": None, "detail": "未检查：数据库不可用"}
            continue
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # a health check reports every failure, whatever it is
            results[name] = {"ok": False, "detail": str(exc) or exc.__class__.__name__}
    return results


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    failing = [name for name, r in results.items() if r["ok"] is False]
    body = {"status": "fail" if failing else "ok", "failing": failing, "checks": results}
    return JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})
