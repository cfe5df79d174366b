"""A password validator Django does not ship: a new password must not be the one in use."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class NotTheCurrentPassword:
    def validate(self, password: str, user=None) -> None:
        if user is not None and user.pk and user.has_usable_password() and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同", code="password_unchanged")

    def get_help_text(self) -> str:
        return "新密码不能与当前密码相同。"
