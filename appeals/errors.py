"""The three ways an appeal action is refused; pages show the message, the API maps them to 409 / 403 / 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class TransitionError(Exception):
    """The action is not allowed from the appeal's current status (someone else may have acted first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def messages_of(exc: ValidationError) -> list[str]:
    """A validation error's messages, for a page to show (field names dropped)."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


__all__ = ["PermissionDenied", "TransitionError", "ValidationError", "messages_of"]
