"""The administrator's desk for sign-in trouble (账号安全, /access/accounts/): reset the two-factor sign-in of someone
who lost their phone, and unlock an account or address that too many wrong passwords locked (django-axes).

Only the administrator may; each change is an audit row. Two administrators acting at once: the first wins, the
second is told it is already done (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from access.scope import Scope
from access.twofactor_models import RecoveryCode, TwoFactorDevice
from audit.models import AuditEvent, record
from linli.errors import TransitionError, ValidationError

RECENT_ACTIONS = ["lockout", "lockout_clear", "twofactor_reset", "twofactor_failed", "twofactor_recovery"]


def _only_administrators(actor) -> None:
    if not Scope.of(actor).is_admin:
        raise PermissionDenied("只有系统管理员可以处理账号安全")


# ---- reads -------------------------------------------------------------------------------------------------------
def twofactor_devices(actor, q: str = "") -> QuerySet[TwoFactorDevice]:
    """Every account with two-factor sign-in (set up or being set up), with its unused recovery codes; by name."""
    _only_administrators(actor)
    devices = TwoFactorDevice.objects.select_related("user__person").annotate(
        codes_left=Count("user__recovery_codes", filter=Q(user__recovery_codes__used_at__isnull=True))
    )
    q = q.strip()[:50]
    if q:
        devices = devices.filter(Q(user__username__icontains=q) | Q(user__person__name__icontains=q))
    return devices.order_by("user__username")


@dataclass(frozen=True)
class Lockout:
    attempt: AccessAttempt
    until: datetime


def lockouts(actor, limit: int = 200) -> list[Lockout]:
    """Accounts and addresses locked now: failures up to the limit within the lockout time (django-axes' rows)."""
    _only_administrators(actor)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")[:limit]
    return [Lockout(a, a.attempt_time + settings.AXES_COOLOFF_TIME) for a in attempts]


def recent_events(actor, limit: int = 30) -> QuerySet[AuditEvent]:
    _only_administrators(actor)
    return AuditEvent.objects.filter(action__in=RECENT_ACTIONS).select_related("actor")[:limit]


# ---- changes -----------------------------------------------------------------------------------------------------
@transaction.atomic
def twofactor_reset(*, actor, user_id: int) -> None:
    """Remove a user's authenticator and recovery codes: at their next sign-in they set it up again (required of
    administrators). Not one's own (another administrator does it), so that a stolen session cannot drop it."""
    _only_administrators(actor)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({"user": "没有这个账号"})
    if user.pk == actor.pk:
        raise ValidationError({"user": "不能重置自己的两步验证，请联系另一位系统管理员"})
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise TransitionError(f"{user.username} 没有两步验证可重置（可能已被其他管理员重置）")
    was = "已启用" if device.confirmed_at else "待确认"
    device.delete()
    codes = RecoveryCode.objects.filter(user=user).delete()[0]
    record(
        actor=actor,
        action="twofactor_reset",
        obj=user,
        summary=f"重置 {user.username} 的两步验证（原为{was}，删除恢复码 {codes} 个）",
        username=user.username,
    )


@transaction.atomic
def lockout_clear(*, actor, attempt_id: int) -> int:
    """Unlock what one lockout row locks: the account's failures and the address's; the rows removed."""
    _only_administrators(actor)
    attempt = AccessAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None:
        raise TransitionError("该锁定已解除（可能已被其他管理员解锁，或已到期）")
    username, ip = attempt.username, attempt.ip_address
    removed = 0
    if username:
        removed += AxesProxyHandler.reset_attempts(username=username)
    if ip:
        removed += AxesProxyHandler.reset_attempts(ip_address=ip)
    record(
        actor=actor,
        action="lockout_clear",
        summary=f"解锁 {username or '—'}（{ip or '—'}），清除失败记录 {removed} 条",
        username=username or "",
        ip_address=ip or "",
    )
    return removed
