"""What a person sees when too many wrong passwords have locked an account (django-axes calls this)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

STATUS = 429


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"连续输错密码 {settings.AXES_FAILURE_LIMIT} 次，账号已暂时锁定。请 {minutes} 分钟后再试，"
        "或联系系统管理员解锁。"
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": lockout_message()}, status=STATUS, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = render(request, "access/locked.html", {"message": lockout_message()}, status=STATUS)
    response["Retry-After"] = retry_after
    return response
