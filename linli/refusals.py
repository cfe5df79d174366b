"""Showing a service's refusal on a page: the reason as it was given, in Chinese, as an error message."""

from __future__ import annotations

from django.contrib import messages

from linli.errors import TransitionError, ValidationError


def refusal(request, exc: Exception) -> None:
    """A step not allowed now (its reason), bad input (every field message), or no right (its reason)."""
    if isinstance(exc, TransitionError):
        messages.error(request, exc.message)
    elif isinstance(exc, ValidationError):
        messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, str(exc) or "您没有权限执行此操作")
