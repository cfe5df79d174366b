"""When the database cannot be had (restarting, or every pooled connection busy past its timeout), a request
gets a 503 with Retry-After and a message, never a 500; the next request tries again without a restart.

A server that is away is told from a pool that is busy by one connection attempt outside the pool
(``OUTAGE.check``, at most one a second per process). While it is away every request (but ``/healthz``, which
says so itself) gets its 503 at once instead of holding a thread for ``DB_POOL_TIMEOUT`` seconds: under load
those waits queue in gunicorn until nginx gives up (504). A probe a second notices the server's return; the
process then starts a new pool (the old one would wait out its reconnection backoff) and requests go through.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import OperationalError, close_old_connections, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 5
MESSAGE = "系统繁忙或正在维护，请稍后再试。"
PROBE_EVERY_SECONDS = 1.0
PROBE_TIMEOUT_SECONDS = 2
log = logging.getLogger("linli.overload")


def _pool_timeout() -> tuple[type[BaseException], ...]:
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installs
        return ()
    return (PoolTimeout,)


def probe() -> str:
    """Why a new connection to the database cannot be opened now ('' when it can), outside the pool."""
    if connection.vendor != "postgresql":
        return ""
    import psycopg

    params = {**connection.get_connection_params(), "connect_timeout": PROBE_TIMEOUT_SECONDS}
    try:
        psycopg.connect(**params).close()
    except psycopg.Error as exc:
        return str(exc).strip() or exc.__class__.__name__
    return ""


def renew_pool() -> None:
    """A new connection pool for this process: after an outage the old one waits out its reconnection backoff
    (doubling from 1 s, for up to minutes) before it tries the server again."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        connection.close_pool()  # type: ignore[attr-defined]  # PostgreSQL's wrapper


class Outage:
    """Per process: is the database server away (``since``: when that was noticed), and why."""

    def __init__(self) -> None:
        self.since: float | None = None
        self.detail = ""
        self.checked = 0.0
        self.lock = threading.Lock()

    def check(self) -> bool:
        """Probe, unless one ran within the last second or runs now (then its answer stands). True: away."""
        if time.monotonic() - self.checked < PROBE_EVERY_SECONDS or not self.lock.acquire(blocking=False):
            return self.since is not None
        try:
            self.checked = time.monotonic()
            self.detail = probe()
            if self.detail and self.since is None:
                self.since = self.checked
                log.error("database unreachable, answering 503 until it is back: %s", self.detail)
            elif not self.detail and self.since is not None:
                log.warning("database reachable again after %.0f s", self.checked - self.since)
                renew_pool()
                self.since = None
            return self.since is not None
        finally:
            self.lock.release()

    def down(self) -> bool:
        return self.since is not None and self.check()


OUTAGE = Outage()


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        body: str
        try:
            body = loader.render_to_string("503.html", {"message": MESSAGE})
        except Exception:  # the page itself must not need the database
            body = MESSAGE
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class OverloadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.unavailable = (OperationalError, *_pool_timeout())

    def __call__(self, request):
        if request.path != "/healthz" and OUTAGE.down():
            return unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, self.unavailable):
            return None
        log.warning("database unavailable: %s", exception)
        close_old_connections()  # a broken connection is not reused by the next request
        OUTAGE.check()  # away, or only busy? If away, the next requests get their 503 at once
        return unavailable_response(request)
