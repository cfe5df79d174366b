"""When the database cannot be had (restarting, or every pooled connection busy past its timeout), a request
gets a 503 with Retry-After and a message, never a 500; the next request tries again without a restart."""

from __future__ import annotations

import logging

from django.db import OperationalError, close_old_connections
from django.http import HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 5
MESSAGE = "系统繁忙或正在维护，请稍后再试。"
log = logging.getLogger("linli.overload")


def _pool_timeout() -> tuple[type[BaseException], ...]:
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installs
        return ()
    return (PoolTimeout,)


class OverloadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.unavailable = (OperationalError, *_pool_timeout())

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, self.unavailable):
            return None
        log.warning("database unavailable: %s", exception)
        close_old_connections()  # a broken connection is not reused by the next request
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False}
            )
        else:
            try:
                body = loader.render_to_string("503.html", {"message": MESSAGE})
            except Exception:  # the page itself must not need the database
                body = MESSAGE
            response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
