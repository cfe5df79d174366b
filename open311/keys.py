"""API keys for Open311 clients: issued and revoked by the administrator, looked up on every POST.

The key is shown once, when it is issued; only its SHA-256 is stored (as ``access.tokens`` does for the REST
API's tokens). Each key comes with its client's service account: a login-less user and its Person, who record
and raise the appeals the client files (``open311.scope`` gives that user the key's areas and nothing else).
Revoking a key also deactivates its service account. Each issue and revocation is an audit row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from access.scope import Scope
from areas.models import Area
from audit.models import record
from linli import clock
from linli.errors import PermissionDenied, ValidationError
from open311.models import ApiKey
from people.models import Person

KEY_BYTES = 30
USE_MARK_EVERY = timedelta(minutes=1)


class KeyRefused(Exception):
    """No key, an unknown key or a revoked key: the spec's 403."""


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _require_admin(actor) -> None:
    if not Scope.of(actor).is_admin:
        raise PermissionDenied("只有系统管理员可以签发和撤销 Open311 密钥")


@transaction.atomic
def key_issue(
    *,
    actor,
    client: str,
    owner: str,
    areas: Iterable[Area],
    rate_per_minute: int = 30,
    text: str | None = None,
) -> tuple[ApiKey, str]:
    """A new key for one client, filing into ``areas`` (and everything under them). Returns (key, the key's text).

    ``text`` is for the demo district only (its published demo key, ``open311.demo``); every real key is random."""
    _require_admin(actor)
    client, owner, areas = (client or "").strip(), (owner or "").strip(), list(areas)
    errors = {}
    if not client or len(client) > 80:
        errors["client"] = "请填写客户端名称（80 字以内）"
    if not owner or len(owner) > 120:
        errors["owner"] = "请填写负责单位或联系人（120 字以内）"
    if not areas:
        errors["areas"] = "请至少选择一个可提交的区域"
    if not isinstance(rate_per_minute, int) or not 1 <= rate_per_minute <= 600:
        errors["rate_per_minute"] = "每分钟提交上限应在 1 到 600 之间"
    if errors:
        raise ValidationError(errors)
    text = text or secrets.token_urlsafe(KEY_BYTES)
    user = get_user_model().objects.create_user(username=f"open311-{secrets.token_hex(6)}", password=None)
    Person.objects.create(name=f"{client}（Open311）"[:50], user=user, note="Open311 客户端的服务账号")
    key = ApiKey.objects.create(
        client=client,
        owner=owner,
        digest=digest_of(text),
        prefix=text[:8],
        rate_per_minute=rate_per_minute,
        service_user=user,
        issued_by=actor,
        created_at=clock.now(),
    )
    key.areas.set(areas)
    names = "、".join(a.name for a in areas)
    record(actor=actor, action="open311_key_issue", obj=key, summary=f"签发 Open311 密钥 {key}：{names}")
    return key, text


@transaction.atomic
def key_revoke(*, actor, key_id: int) -> ApiKey:
    _require_admin(actor)
    key = ApiKey.objects.select_for_update().select_related("service_user").filter(pk=key_id).first()
    if key is None:
        raise ValidationError({"key": "没有这个密钥"})
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by = clock.now(), actor
        key.save(update_fields=["revoked_at", "revoked_by"])
        key.service_user.is_active = False
        key.service_user.save(update_fields=["is_active"])
        record(actor=actor, action="open311_key_revoke", obj=key, summary=f"撤销 Open311 密钥 {key}")
    return key


def key_from(text: object) -> ApiKey:
    """The live key with this text, or ``KeyRefused`` saying why not. Marks the key used (at most once a minute)."""
    if not isinstance(text, str) or not text.strip():
        raise KeyRefused("api_key was not provided（缺少 api_key）")
    key = (
        ApiKey.objects.select_related("service_user__person")
        .prefetch_related("areas")
        .filter(digest=digest_of(text.strip()))
        .first()
    )
    if key is None:
        raise KeyRefused("api_key is invalid（api_key 无效）")
    if key.revoked_at is not None:
        raise KeyRefused("api_key has been revoked（api_key 已被撤销）")
    now = clock.now()
    if key.last_used_at is None or now - key.last_used_at > USE_MARK_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
