"""How any loop refuses a step, for every app: pages show the message, the API answers 409 / 403 / 400 / 404.

- ``TransitionError``: the step is not allowed from the record's current state (someone else may have acted
  first). HTTP 409 everywhere, with the machine-readable code ``wrong_state``.
- ``PermissionDenied`` (Django's): the person has no right to the step. HTTP 403, code ``forbidden``.
- ``ValidationError`` (Django's): bad input; a dict of field messages. HTTP 400, code ``invalid``.
- A record outside the person's scope is not found at all (HTTP 404): selectors never return it.

``linli.refusals`` shows any of them on a page; ``linli.api.exception_handler`` turns them into API answers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class TransitionError(Exception):
    """The step is not allowed from the record's current state."""

    code = "wrong_state"
    status_code = 409

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


def messages_of(exc: ValidationError) -> list[str]:
    """A validation error's messages, for a page to show (field names dropped)."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def code_of(exc: Exception) -> str:
    """The machine-readable code of a refusal."""
    if isinstance(exc, TransitionError):
        return exc.code
    if isinstance(exc, PermissionDenied):
        return "forbidden"
    if isinstance(exc, ValidationError):
        return "invalid"
    return "error"


__all__ = ["PermissionDenied", "TransitionError", "ValidationError", "code_of", "messages_of"]
