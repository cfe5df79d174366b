"""The API's schema (``/api/schema/``) and its Swagger UI (``/api/docs/``): open in development, for logged-in
staff only in production.

``LINLI_API_DOCS_PUBLIC`` decides (default: ``DEBUG``); with it off, a visitor gets 401 and a resident 403, staff
(any working role, by session or token) read them. The Swagger page is drf-spectacular's split view: its
initialising script is a second request to the same address (``?script``), so the page runs under the
Content-Security-Policy with no inline script; its stylesheet is ``static/swagger.css``, not an inline block.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission

from access.scope import Scope


def docs_public() -> bool:
    return bool(getattr(settings, "LINLI_API_DOCS_PUBLIC", settings.DEBUG))


class DocsPermission(BasePermission):
    message = "接口文档仅对工作人员开放，请先登录"

    def has_permission(self, request, view) -> bool:
        if docs_public():
            return True
        user = request.user
        return bool(user and user.is_authenticated and Scope.of(user).is_staff_like)


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsPermission]


class DocsView(SpectacularSwaggerSplitView):
    permission_classes = [DocsPermission]
    url_name = "api-schema"
    template_name = "access/swagger_ui.html"
