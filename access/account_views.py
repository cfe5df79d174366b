"""账号安全 (/access/accounts/): the administrator resets a user's two-factor sign-in and unlocks locked accounts
(``access.account_security``). Anyone else gets the 403 page; a step someone else took first, or bad input, is a
message on the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access import account_security as security
from linli.errors import TransitionError, ValidationError
from linli.inputs import positive_id
from linli.refusals import refusal


@login_required
def account_security(request):
    q = request.GET.get("q", "")
    # PermissionDenied (403) for everyone but the administrator
    devices = security.twofactor_devices(request.user, q)
    return render(
        request,
        "access/account_security.html",
        {
            "q": q,
            "page": Paginator(devices, 50).get_page(request.GET.get("page")),
            "lockouts": security.lockouts(request.user),
            "events": security.recent_events(request.user),
        },
    )


@login_required
@require_POST
def twofactor_reset(request, user_id: int):
    if positive_id(str(user_id)) is None:
        raise Http404
    try:
        security.twofactor_reset(actor=request.user, user_id=user_id)
    except (TransitionError, ValidationError) as exc:
        refusal(request, exc)
    else:
        messages.success(request, "已重置两步验证：该用户下次登录时重新设置。")
    return redirect("account-security")


@login_required
@require_POST
def lockout_clear(request):
    try:
        removed = security.lockout_clear(
            actor=request.user, attempt_id=positive_id(request.POST.get("attempt")) or 0
        )
    except (TransitionError, ValidationError) as exc:
        refusal(request, exc)
    else:
        messages.success(request, f"已解锁（清除失败记录 {removed} 条）。")
    return redirect("account-security")
