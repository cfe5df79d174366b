"""The admin site is the administrator's: everybody else does their register work on the product's own pages
(people, households, units; see web/register.py), within their scope and with field messages.

A signed-in user who is not an administrator gets the product's 403 page (in Chinese) on any admin address; a
visitor who is not signed in is sent to the admin's login, which lets in administrators only.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from access.scope import Scope

REFUSAL = "后台只供系统管理员使用。人员、住户和单位信息请在“人员”“区域”“单位”页面上登记和修改。"


class AdminSite(admin.AdminSite):
    site_header = "邻里 · 系统管理"
    site_title = "邻里系统管理"
    index_title = "系统管理"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and Scope.of(user).is_admin)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def refuse_non_administrators(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(REFUSAL)
            return inner(request, *args, **kwargs)

        return refuse_non_administrators

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied(REFUSAL)
        return super().login(request, extra_context)
