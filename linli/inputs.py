"""Input no page or API call may turn into a 500: a NUL character (PostgreSQL refuses it in text), JSON nested
deeper than any real request (Python's parser recurses), an id too large for the database's integer.

``RejectNulMiddleware`` answers 400 for a NUL anywhere in the query string or a form; ``JSONParser`` refuses NULs
and runaway nesting in API bodies with a 400 and a message; ``positive_id`` reads an id from a query string.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import JsonResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
MAX_ID = 2**63 - 1
_ID = re.compile(r"\d{1,19}", re.ASCII)
NUL_MESSAGE = "输入中含有无效的控制字符（NUL），请删除后重试"


def positive_id(value: str | None) -> int | None:
    """An id as the database can hold it (1 … 2⁶³−1), or None for anything else."""
    if value is None or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _has_nul(value: Any, depth: int = 0) -> bool:
    if depth > MAX_DEPTH:
        raise ParseError(f"JSON 嵌套超过 {MAX_DEPTH} 层")
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON 嵌套超过 {MAX_DEPTH} 层") from None
        if _has_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return self._refuse(request)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if any("\x00" in v for values in request.POST.lists() for v in values[1]):
                return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": NUL_MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
            )
        from linli.error_pages import bad_request

        return bad_request(request)
