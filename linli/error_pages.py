"""The product's own error pages (400, 403, 404, 500 and the CSRF failure), in Chinese, with DEBUG on or off.

Django renders ``handler403`` whatever DEBUG says, but with DEBUG on it shows its technical pages for a 404, a
bad request and a crash. ``make run`` runs with DEBUG, and a resident trying the demo must not meet an English
traceback, so ``ErrorPagesMiddleware`` puts our page in place of a technical one. A developer who wants
Django's pages sets ``LINLI_TECHNICAL_ERRORS=1`` (only honoured with DEBUG on).

Under ``/api/`` the API answers in JSON as before (``linli.api.not_found`` and DRF's exception handler).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from rest_framework import exceptions

# Marks a response that is already one of our pages, so the middleware leaves it alone.
OURS = "_linli_error_page"
PAGES = {400: "400.html", 403: "403.html", 404: "404.html", 500: "500.html"}
# Said when the refusal carries no reason of its own (Django's own refusals carry English or none).
DEFAULT_REASON = {403: "您没有权限打开这个页面。"}


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _render(request, status: int, reason: str = "") -> HttpResponse:
    if status == 500:
        # A crash may come from the database or a template: this page needs neither context nor queries.
        body = loader.get_template(PAGES[500]).render({})
    else:
        context = {"status": status, "reason": reason or DEFAULT_REASON.get(status, "")}
        try:
            body = loader.render_to_string(PAGES[status], context, request)
        except Exception:  # the page itself failed (say the database is away while the menu is built)
            body = loader.get_template(PAGES[500]).render({})
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    setattr(response, OURS, True)
    return response


def _reason(exception) -> str:
    """A refusal's own words when they are Chinese (a service's "只有本社区的社区工作者可以…"); else nothing."""
    text = str(exception or "").strip()
    return text if text and any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


def bad_request(request, exception=None):
    return _render(request, 400)


def permission_denied(request, exception=None):
    if _is_api(request):
        detail = _reason(exception) or str(exceptions.PermissionDenied.default_detail)
        return JsonResponse({"detail": detail}, status=403)
    return _render(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    if _is_api(request):
        # the same body as an API view's 404 (``/api/appeals/1.5/`` matches no route)
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return _render(request, 404)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "服务器出错了，请稍后再试。"}, status=500)
    return _render(request, 500)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the form was open too long, or cookies are off; say so and what to do."""
    try:
        body: str = loader.render_to_string("403_csrf.html", {}, request)
    except TemplateDoesNotExist:  # pragma: no cover - the template ships with the project
        body = "页面已过期，请返回上一页，刷新后重新提交。"
    response = HttpResponse(body, status=403, content_type="text/html; charset=utf-8")
    setattr(response, OURS, True)
    return response


def technical_pages_wanted() -> bool:
    return settings.DEBUG and getattr(settings, "LINLI_TECHNICAL_ERRORS", False)


class ErrorPagesMiddleware:
    """With DEBUG on, replaces Django's technical 400/404/500 pages by ours (the exception is still logged by
    Django before we see the response). With DEBUG off Django calls our handlers itself and this does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not settings.DEBUG
            or technical_pages_wanted()
            or response.status_code not in (400, 404, 500)
            or getattr(response, OURS, False)
            or getattr(response, "streaming", False)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        if response.status_code == 500:
            return server_error(request)
        if response.status_code == 400:
            return bad_request(request)
        return page_not_found(request)
