"""Admin pages every app may build on (the admin site itself is ``access.admin_site``)."""

from __future__ import annotations

from django.contrib import admin


class AdministratorOnly(admin.ModelAdmin):
    """Configuration only the administrator sees, adds, changes and deletes here (a subclass may let others read
    it, or nobody write it)."""

    def _is_admin(self, request) -> bool:
        from access.scope import Scope  # at request time: this module is imported while the apps load

        return Scope.of(request.user).is_admin

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)


class ReadOnlyForAdministrator(AdministratorOnly):
    """Rows written only by their services or jobs (access logs, consents, job runs …): the administrator reads
    them, nobody adds, changes or deletes them here, and nobody else sees the pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
