"""Showing a service's refusal on a page: the reason as it was given, in Chinese, as an error message.

Every loop's pages catch ``REFUSALS`` around a service call and pass the exception to ``refusal``; a form that
shows field errors beside its fields may add a ``ValidationError``'s messages to the form instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages

from linli.errors import PermissionDenied, TransitionError, ValidationError, messages_of

REFUSALS = (TransitionError, ValidationError, PermissionDenied)
T = TypeVar("T")


def refusal(request, exc: Exception) -> None:
    """A step not allowed now (its reason), bad input (every field message), or no right (its reason)."""
    if isinstance(exc, TransitionError):
        messages.error(request, exc.message)
    elif isinstance(exc, ValidationError):
        for message in messages_of(exc):
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or "您没有权限执行此操作")


def tried(request, step: Callable[[], T]) -> T | None:
    """A page's service call: what it returns, or None with its refusal shown (``refusal``)."""
    try:
        return step()
    except REFUSALS as exc:
        refusal(request, exc)
        return None
