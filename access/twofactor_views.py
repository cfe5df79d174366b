"""Pages of two-factor sign-in: the account's setting, enrolment (key, then a first code, then the recovery codes
shown once) and the code asked after the password. ``access.gates`` sends a session here until it is done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access import twofactor

MAX_FAILURES = 5  # wrong codes in one session before it is signed out
FAILURES_KEY = "linli_2fa_failures"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _error(exc: ValidationError) -> str:
    return "；".join(m for msgs in exc.message_dict.values() for m in msgs)


def _offered(request) -> None:
    if not (twofactor.offered_to(request.user) or twofactor.is_enabled(request.user)):
        raise Http404


@login_required
def twofactor_settings(request):
    _offered(request)
    user = request.user
    return render(
        request,
        "access/twofactor_settings.html",
        {
            "enabled": twofactor.is_enabled(user),
            "required": twofactor.required_for(user),
            "codes_left": twofactor.recovery_codes_left(user),
        },
    )


@login_required
def twofactor_setup(request):
    _offered(request)
    user = request.user
    if twofactor.is_enabled(user):
        return redirect("twofactor-settings")
    device = twofactor.twofactor_start(user=user)
    error = ""
    if request.method == "POST":
        try:
            codes = twofactor.twofactor_confirm(user=user, code=request.POST.get("code", "")[:20])
        except ValidationError as exc:
            error = _error(exc)
        else:
            twofactor.mark_verified(request)
            return render(request, "access/twofactor_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "access/twofactor_setup.html",
        {
            "key": twofactor.grouped(device.secret),
            "uri": twofactor.otpauth_uri(device.secret, user.username),
            "required": twofactor.required_for(user),
            "error": error,
            "next": _next(request),
        },
        status=400 if error else 200,
    )


@login_required
def twofactor_verify(request):
    if twofactor.pending(request) != "verify":
        return HttpResponseRedirect(_next(request))
    error = ""
    if request.method == "POST":
        try:
            how = twofactor.twofactor_check(user=request.user, code=request.POST.get("code", "")[:20])
        except ValidationError as exc:
            failures = request.session.get(FAILURES_KEY, 0) + 1
            request.session[FAILURES_KEY] = failures
            if failures >= MAX_FAILURES:
                logout(request)
                messages.error(request, f"连续 {MAX_FAILURES} 次验证码错误，已退出登录，请重新登录。")
                return redirect("login")
            error = _error(exc)
        else:
            request.session.pop(FAILURES_KEY, None)
            twofactor.mark_verified(request)
            if how == "recovery":
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(request, f"已使用一个恢复码登录，还剩 {left} 个。请尽快找回手机或重新设置。")
            return HttpResponseRedirect(_next(request))
    return render(
        request,
        "access/twofactor_verify.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )


@login_required
@require_POST
def twofactor_disable(request):
    try:
        twofactor.twofactor_disable(actor=request.user, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        request.session.pop(twofactor.SESSION_KEY, None)
        messages.success(request, "两步验证已停用。")
    return redirect("twofactor-settings")


@login_required
@require_POST
def twofactor_codes_renew(request):
    try:
        codes = twofactor.recovery_codes_renew(user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
        return redirect("twofactor-settings")
    return render(request, "access/twofactor_codes.html", {"codes": codes, "next": "/"})
