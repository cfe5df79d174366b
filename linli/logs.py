"""Logs a machine reads: one JSON object a line (time, level, logger, message, request id, user id, path, status,
duration), and one such line for every request.

``RequestLogMiddleware`` gives each request an id (the proxy's ``X-Request-ID`` when it sends one, else a new
one), returns it in ``X-Request-ID``, and stamps it on every log line written while the request runs.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_request: ContextVar[dict | None] = ContextVar("linli_request_log", default=None)
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
request_log = logging.getLogger("linli.request")


class RequestContextFilter(logging.Filter):
    """Puts the current request's id, user and path on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _request.get() or {}
        for key in ("request_id", "user_id", "path"):
            if not hasattr(record, key):
                setattr(record, key, context.get(key))
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "user_id", "path", "method", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.get_default_timezone()).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in self.FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _SAFE_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        context = {"request_id": request_id, "user_id": None, "path": request.path}
        token = _request.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            user = getattr(request, "user", None)
            context["user_id"] = user.pk if user is not None and user.is_authenticated else None
            _request.reset(token)
        response["X-Request-ID"] = request_id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                **context,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
