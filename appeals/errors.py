"""The three ways an appeal action is refused; pages show the message, the API maps them to 409 / 403 / 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class TransitionError(Exception):
    """The action is not allowed from the appeal's current status (someone else may have acted first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


__all__ = ["PermissionDenied", "TransitionError", "ValidationError"]
