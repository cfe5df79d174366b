"""The appeal loop refuses as every loop does: see ``linli.errors``."""

from linli.errors import PermissionDenied, TransitionError, ValidationError, messages_of

__all__ = ["PermissionDenied", "TransitionError", "ValidationError", "messages_of"]
