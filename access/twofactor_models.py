"""Two-factor sign-in (TOTP, RFC 6238) and its recovery codes: the rows behind ``access.twofactor``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.fields import EncryptedCharField


class TwoFactorDevice(models.Model):
    """A user's authenticator: the shared secret (base32) and the last time step accepted, so that one code works
    once. Unconfirmed until the user types a first code from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twofactor_device"
    )
    secret = EncryptedCharField(max_length=64)  # encrypted at rest (people.crypto)
    created_at = models.DateTimeField(_("创建时间"))
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("两步验证")
        verbose_name_plural = _("两步验证")

    def __str__(self) -> str:
        return f"{self.user} · {'已启用' if self.confirmed_at else '待确认'}"


class RecoveryCode(models.Model):
    """One single-use recovery code; only its SHA-256 is kept (the codes are shown once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")
        indexes = [models.Index(fields=["user", "digest"], name="recovery_code_lookup")]

    def __str__(self) -> str:
        return f"{self.user} · {'已使用' if self.used_at else '未使用'}"
