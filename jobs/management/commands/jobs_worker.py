"""``manage.py jobs_worker``: django-tasks' ``db_worker`` (same options) with a heartbeat and the scheduler.

Before taking tasks it re-queues tasks whose worker died and queues every recurring job that has no run
waiting (``linli.schedule.maintain``); while it runs, a thread records its heartbeat every
``LINLI_WORKER_BEAT_SECONDS`` (10) and repeats that upkeep every minute, so the schedule survives any one
exception, a killed worker or a database restart. When the database goes away, db_worker's loop stops with the
error; this command waits for it to answer, re-queues the task it was running, and takes tasks again (no
restart). Production units run this (deploy/linli-worker@.service).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.workers import beat, release_claims_of
from linli.overload import renew_pool
from linli.schedule import maintain

log = logging.getLogger("jobs.worker")


class Heart(threading.Thread):
    def __init__(self, worker_id: str, *, every: float, upkeep_every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.every, self.upkeep_every = worker_id, every, upkeep_every
        self.stopped = threading.Event()

    def run(self) -> None:
        last_upkeep = time.monotonic()
        while not self.stopped.wait(self.every):
            try:
                close_old_connections()
                beat(self.worker_id, beating=True)
                if time.monotonic() - last_upkeep >= self.upkeep_every:
                    last_upkeep = time.monotonic()
                    maintain()
            except DatabaseError:  # the database is away: keep beating once it is back
                log.warning("heartbeat of worker %s failed", self.worker_id, exc_info=True)
        connection.close()


class Command(DbWorkerCommand):
    help = "Run the background worker with a heartbeat, stale-task recovery and the recurring jobs' scheduler"

    @staticmethod
    def resume(worker_id: str, *, pause: float) -> None:
        """After the loop lost the database: once it answers again, the task this worker was running (left
        RUNNING, its result unwritten) goes back to the queue."""
        renew_pool()
        while True:
            time.sleep(pause)
            close_old_connections()
            try:
                release_claims_of(worker_id)
                return
            except DatabaseError:
                log.info("worker %s: the database is still away", worker_id)
                renew_pool()  # the next try connects now, not after the pool's reconnection backoff

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        beat(worker_id, beating=True)
        try:
            maintain()
        except DatabaseError:
            log.warning("start-up upkeep failed; the heartbeat thread retries it", exc_info=True)
        heart = Heart(
            worker_id,
            every=float(getattr(settings, "LINLI_WORKER_BEAT_SECONDS", 10)),
            upkeep_every=float(getattr(settings, "LINLI_SCHEDULE_UPKEEP_SECONDS", 60)),
        )
        heart.start()
        try:
            while True:
                try:
                    return super().handle(*args, **options)
                except DatabaseError:  # db_worker's loop stops when the database goes away: wait, go on
                    log.warning("worker %s lost the database", worker_id, exc_info=True)
                    self.resume(worker_id, pause=max(1.0, float(options.get("interval") or 1)))
        finally:
            heart.stopped.set()
            heart.join(timeout=30)
