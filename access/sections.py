"""Cards on 社区事务 (/hub/): a resident's own data and privacy; staff's erasure requests and two-factor sign-in;
the administrator's account security (two-factor resets, lockouts)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from access import twofactor
from access.scope import Scope
from audit.erasure import erasure_requests_for
from audit.models import ErasureRequest
from web.hub import HubLink


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # the access pages are not routed in this deployment
        return None


def my_data_card(request, scope: Scope) -> HubLink | None:
    url = _url("my-data")
    if url is None or scope.person is None or scope.is_staff_like:
        return None
    return HubLink("我的个人信息", url, "看看邻里保存了您哪些信息，下载一份，或申请删除。")


def erasure_card(request, scope: Scope) -> HubLink | None:
    url = _url("erasure-queue")
    if url is None or not scope.is_staff_like:
        return None
    waiting = erasure_requests_for(request.user).filter(status=ErasureRequest.Status.PENDING).count()
    if not waiting and not scope.is_admin:
        return None
    return HubLink("个人信息删除申请", url, "居民申请删除个人信息：核实后删除或说明理由。", waiting=waiting)


def twofactor_card(request, scope: Scope) -> HubLink | None:
    url = _url("twofactor-settings")
    if url is None or not twofactor.offered_to(request.user):
        return None
    state = "已启用" if twofactor.is_enabled(request.user) else "未启用"
    return HubLink("两步验证", url, f"登录时再输入手机验证器上的数字，密码泄露也不怕（{state}）。")


def account_security_card(request, scope: Scope) -> HubLink | None:
    url = _url("account-security")
    if url is None or not scope.is_admin:
        return None
    return HubLink("账号安全", url, "重置丢了手机的两步验证，解锁输错密码被锁定的账号。")


HUB = [my_data_card, erasure_card, twofactor_card, account_security_card]
