"""Staff handle residents' erasure requests (个人信息删除申请) of the people in their scope: carry out or refuse with
a reason. The services are in ``audit.erasure``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from audit.erasure import erasure_request_carry_out, erasure_request_refuse, erasure_requests_for
from audit.models import ErasureRequest


@login_required
def erasure_queue(request):
    if not Scope.of(request.user).is_staff_like:
        raise Http404
    requests = erasure_requests_for(request.user).select_related("person__community", "handled_by")
    return render(
        request,
        "access/erasure_queue.html",
        {
            "pending": [r for r in requests if r.status == ErasureRequest.Status.PENDING],
            "handled": [r for r in requests if r.status != ErasureRequest.Status.PENDING][:50],
        },
    )


@login_required
@require_POST
def erasure_handle(request, pk: int):
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    try:
        if action == "erase":
            erasure_request_carry_out(user=request.user, request_id=pk, note=note)
            messages.success(request, "已删除该居民的个人信息；其诉求保留用于统计。")
        elif action == "refuse":
            erasure_request_refuse(user=request.user, request_id=pk, note=note)
            messages.success(request, "已记录不予删除及理由。")
        else:
            raise ValidationError({"action": "未知操作"})
    except ErasureRequest.DoesNotExist:
        raise Http404 from None
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
    return redirect("erasure-queue")
