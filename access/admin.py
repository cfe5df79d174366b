from django.contrib import admin

from access.models import RoleAssignment
from audit.models import AuditEvent


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Roles decide everything else, so only administrators manage them."""

    list_display = ["user", "role", "area", "building", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    raw_id_fields = ["user", "area", "building", "unit"]

    def _is_admin(self, request):
        from access.scope import Scope

        return Scope.of(request.user).is_admin

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)

    def save_model(self, request, obj, form, change):
        obj.clean()
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(RoleAssignmentAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id"]
    raw_id_fields = ["actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
