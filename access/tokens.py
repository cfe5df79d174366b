"""API tokens that can be listed, revoked and that expire; stored as a SHA-256 digest, never as the key.

``token_issue`` (the token endpoint) returns the key once. ``TokenAuthentication`` is DRF's authentication for
``Authorization: Token <key>``: an unknown, expired or revoked token, or one issued before its owner's password
changed, is refused with 401 and a message saying which. Logging out revokes all of a user's tokens, and so does
removing one of their roles (``access.receivers``). Each issue and revocation is an audit row.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from access.models import ApiToken
from audit.models import record
from linli import clock

KEY_BYTES = 30


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_mark(user) -> str:
    """Changes whenever the user's password does (a fingerprint of the stored hash, not of the password)."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()[:16]


def lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "LINLI_TOKEN_DAYS", 30))


@transaction.atomic
def token_issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    key = secrets.token_urlsafe(KEY_BYTES)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:60],
        digest=digest_of(key),
        prefix=key[:8],
        password_mark=password_mark(user),
        created_at=now,
        expires_at=now + lifetime(),
    )
    record(actor=user, action="token_issue", obj=token, summary=f"签发 API 令牌 {token.prefix}…")
    return token, key


@transaction.atomic
def token_revoke(*, actor, token_id: int) -> ApiToken:
    """The owner revokes one of their tokens (anyone else: not found)."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise exceptions.NotFound("没有这个令牌")
    if token.revoked_at is None:
        token.revoked_at, token.revoked_why = clock.now(), "本人撤销"
        token.save(update_fields=["revoked_at", "revoked_why"])
        record(actor=actor, action="token_revoke", obj=token, summary=f"撤销 API 令牌 {token.prefix}…")
    return token


@transaction.atomic
def tokens_revoke_all(*, user, why: str, actor=None) -> int:
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    count = live.update(revoked_at=clock.now(), revoked_why=why[:40])
    if count:
        record(actor=actor or user, action="token_revoke_all", summary=f"撤销 {count} 个 API 令牌：{why}")
    return count


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式应为：Authorization: Token <令牌>")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌含有无效字符") from None
        # The user's Person comes in the same query: every scoped request needs it (access.scope.Scope.person).
        token = ApiToken.objects.select_related("user__person").filter(digest=digest_of(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌无效")
        now = clock.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                f"令牌已撤销（{token.revoked_why or '已撤销'}），请重新登录获取"
            )
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期，请重新登录获取")
        if token.password_mark != password_mark(token.user):
            raise exceptions.AuthenticationFailed("密码已更改，此前签发的令牌已失效，请重新登录获取")
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write per 5 minutes
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI document's description of ``Authorization: Token <key>``."""

    target_class = "access.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <令牌>：POST /api/auth/token/ 签发，30 天有效，退出登录或撤销后失效",
        }
