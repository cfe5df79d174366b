"""Two-factor sign-in: TOTP (RFC 6238, the codes of any authenticator app) with single-use recovery codes.

Administrators must use it (``LINLI_TWOFACTOR_ROLES`` may add roles, such as ``district_leader``); other staff may
turn it on. Enrolment shows the secret as a key to type in (grouped by four) and as an ``otpauth://`` address, then
asks for a first code; only then is the device confirmed and ten recovery codes shown, once (stored as SHA-256).
A code is accepted within one 30-second step either side of the server's clock, and a step once used is not
accepted again. Every change is an audit row. ``access.gates`` asks ``pending`` on each request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from access.scope import Scope
from access.twofactor_models import RecoveryCode, TwoFactorDevice
from audit.models import record
from linli import clock

ISSUER = "邻里"
PERIOD = 30
DIGITS = 6
WINDOW = 1  # steps either side
RECOVERY_CODES = 10
SESSION_KEY = "linli_2fa_ok"  # the user id whose second factor this session has seen


# ---- RFC 6238 -------------------------------------------------------------------------------------------------
def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code_at(secret: str, step: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """HOTP (RFC 4226) of one time step."""
    mac = hmac.new(_key(secret), struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(value).zfill(digits)


def step_of(timestamp: float) -> int:
    return int(timestamp // PERIOD)


def matching_step(secret: str, code: str, timestamp: float, after: int = 0) -> int | None:
    """The time step whose code this is (within the window, later than ``after``), or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_of(timestamp)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > after and hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(secret: str, account: str) -> str:
    label = quote(f"{ISSUER}:{account}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "digits": DIGITS, "period": PERIOD})
    return f"otpauth://totp/{label}?{query}"


# ---- who must, who may -----------------------------------------------------------------------------------------
def required_for(user) -> bool:
    """Administrators must (``LINLI_TWOFACTOR_ADMINS``, on unless the settings say otherwise: off in demo mode),
    and the roles in ``LINLI_TWOFACTOR_ROLES``."""
    scope = Scope.of(user)
    if scope.is_admin and getattr(settings, "LINLI_TWOFACTOR_ADMINS", True):
        return True
    return bool(scope.roles & set(getattr(settings, "LINLI_TWOFACTOR_ROLES", [])))


def offered_to(user) -> bool:
    return Scope.of(user).is_staff_like


def device_of(user) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def is_enabled(user) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def pending(request) -> str | None:
    """What this signed-in session still owes: "verify" (a code), "enrol" (set up, required), or None."""
    user = request.user
    if request.session.get(SESSION_KEY) == user.pk:
        return None
    if is_enabled(user):
        return "verify"
    if required_for(user):
        return "enrol"
    return None


def mark_verified(request) -> None:
    request.session[SESSION_KEY] = request.user.pk


# ---- services --------------------------------------------------------------------------------------------------
def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


@transaction.atomic
def twofactor_start(*, user) -> TwoFactorDevice:
    """A new secret to enrol (replacing an unconfirmed one); refused while one is in use."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationError({"code": "两步验证已启用；如需更换设备，请先停用"})
    if device is None:
        device = TwoFactorDevice.objects.create(user=user, secret=new_secret(), created_at=clock.now())
    return device


@transaction.atomic
def twofactor_confirm(*, user, code: str) -> list[str]:
    """The first code from the app confirms the device; returns the recovery codes, shown once."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise ValidationError({"code": "请先开始设置两步验证"})
    step = matching_step(device.secret, code, clock.now().timestamp())
    if step is None:
        raise ValidationError({"code": "验证码不正确，请核对手机时间后输入最新的 6 位数字"})
    device.confirmed_at, device.last_step = clock.now(), step
    device.save(update_fields=["confirmed_at", "last_step"])
    codes = _new_recovery_codes(user)
    record(actor=user, action="twofactor_enable", obj=device, summary=f"{user.username} 启用两步验证")
    return codes


def twofactor_check(*, user, code: str) -> str:
    """A code at sign-in: "totp" or "recovery" when accepted; ValidationError otherwise (audited, and the row
    stays: it is written after the checking transaction)."""
    how = _check(user=user, code=code)
    if how is None:
        record(actor=user, action="twofactor_failed", obj=user, summary=f"{user.username} 两步验证码错误")
        raise ValidationError({"code": "验证码不正确或已使用过"})
    return how


@transaction.atomic
def _check(*, user, code: str) -> str | None:
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise ValidationError({"code": "此账号未启用两步验证"})
    step = matching_step(device.secret, code, clock.now().timestamp(), after=device.last_step)
    if step is not None:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return "totp"
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, digest=_digest(code), used_at__isnull=True)
        .first()
    )
    if recovery is None:
        return None
    recovery.used_at = clock.now()
    recovery.save(update_fields=["used_at"])
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    record(actor=user, action="twofactor_recovery", obj=device, summary=f"使用恢复码登录，剩余 {left} 个")
    return "recovery"


@transaction.atomic
def twofactor_disable(*, actor, user) -> None:
    """The user turns it off (not when it is required of them), or the administrator resets a lost device."""
    if actor.pk == user.pk and required_for(user):
        raise ValidationError({"code": "系统管理员必须使用两步验证，不能停用；更换设备请联系其他管理员重置"})
    if actor.pk != user.pk and not Scope.of(actor).is_admin:
        raise ValidationError({"code": "只有系统管理员可以重置他人的两步验证"})
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        record(actor=actor, action="twofactor_disable", obj=user, summary=f"{user.username} 的两步验证已停用")


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    if not is_enabled(user):
        raise ValidationError({"code": "请先启用两步验证"})
    codes = _new_recovery_codes(user)
    record(actor=user, action="twofactor_codes", obj=user, summary=f"{user.username} 重新生成恢复码")
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
