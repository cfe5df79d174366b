"""A resident's privacy pages: the notice and their consent, their own data (download) and a request to be
removed. The services are in ``audit.privacy`` and ``audit.erasure``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.scope import Scope
from audit import privacy
from audit.erasure import erasure_request_submit
from audit.models import ErasureRequest, record


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def privacy_notice(request):
    """Anybody may read it; a signed-in resident who has not consented sees the form."""
    asks = (
        request.user.is_authenticated
        and Scope.of(request.user).person is not None
        and not privacy.has_consented(request.user)
    )
    return render(
        request,
        "access/privacy_notice.html",
        {
            "asks": asks,
            "choices": privacy.OPTIONAL_CHOICES,
            "version": privacy.version(),
            "next": _next(request),
        },
    )


@login_required
@require_POST
def privacy_consent(request):
    if request.POST.get("agree") != "1":
        messages.error(
            request, "需要同意隐私告知才能使用邻里；如不同意，可以退出登录，请网格员代为登记诉求。"
        )
        return redirect(f"{request.path.rsplit('consent/', 1)[0]}?next={_next(request)}")
    privacy.consent_record(
        user=request.user, choices={k: k in request.POST for k in privacy.OPTIONAL_CHOICES}
    )
    request.session[privacy.SESSION_KEY] = privacy.version()
    return HttpResponseRedirect(_next(request))


def _own_person(request):
    person = Scope.of(request.user).person
    if person is None:
        raise Http404
    return person


@login_required
def my_data(request):
    person = _own_person(request)
    return render(
        request,
        "access/my_data.html",
        {
            "person": person,
            "pending": ErasureRequest.objects.filter(
                person=person, status=ErasureRequest.Status.PENDING
            ).first(),
            "requests": ErasureRequest.objects.filter(person=person),
        },
    )


@login_required
def my_data_export(request, fmt: str):
    person = _own_person(request)
    if fmt not in {"json", "xlsx"}:
        raise Http404
    data = privacy.my_data(person)
    record(actor=request.user, action="my_data_export", obj=person, summary=f"下载本人信息（{fmt}）")
    if fmt == "json":
        response: HttpResponse = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    else:
        response = HttpResponse(
            privacy.my_data_workbook(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="linli-my-data.{fmt}"'
    return response


@login_required
@require_POST
def erasure_request_new(request):
    _own_person(request)
    try:
        erasure_request_submit(user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, "删除申请已提交，社区工作人员会在 15 个工作日内处理并告诉您结果。")
    return redirect("my-data")
