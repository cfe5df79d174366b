"""Audit rows for what happens outside a service: an account locked out by too many wrong passwords (django-axes)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.dispatch import receiver

from audit.models import record


@receiver(user_locked_out, dispatch_uid="audit.lockout")
def lockout_recorded(sender, request, username=None, ip_address=None, **kwargs) -> None:
    record(
        actor=None,
        action="lockout",
        summary=f"连续输错密码，已锁定：{username or '（未填用户名）'}，来自 {ip_address or '未知地址'}",
        username=username or "",
        ip_address=ip_address or "",
        path=getattr(request, "path", ""),
    )
