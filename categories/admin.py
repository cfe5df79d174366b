from django.contrib import admin

from access.scope import Scope
from categories.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Categories and their deadlines are district-wide configuration: administrators edit, staff read."""

    list_display = ["code", "name", "parent", "contact_hours", "resolve_working_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def has_module_permission(self, request):
        return request.user.is_staff and Scope.of(request.user).is_staff_like

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return Scope.of(request.user).is_admin

    has_add_permission = lambda self, request: Scope.of(request.user).is_admin  # noqa: E731

    def has_delete_permission(self, request, obj=None):
        return Scope.of(request.user).is_admin
