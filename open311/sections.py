"""Open311's card on the 社区事务 page: the administrator's key page."""

from __future__ import annotations

from django.urls import reverse

from open311.models import ApiKey
from open311.scope import may_manage_keys
from web.hub import HubLink


def keys_card(request, scope) -> HubLink | None:
    if not may_manage_keys(scope):
        return None
    live = ApiKey.objects.filter(revoked_at__isnull=True).count()
    return HubLink(
        title="Open311 接口密钥",
        url=reverse("open311-keys"),
        description=f"为 12345 热线、随手拍等外部系统签发和撤销提交诉求的密钥（GeoReport v2）；在用 {live} 个",
    )


HUB = [keys_card]
