from django.contrib import admin

from access.scope import Scope
from categories.models import CalendarDay, Category


class DistrictConfigAdmin(admin.ModelAdmin):
    """District-wide configuration: administrators edit, staff read."""

    def has_module_permission(self, request):
        return request.user.is_staff and Scope.of(request.user).is_staff_like

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return Scope.of(request.user).is_admin

    def has_add_permission(self, request):
        return Scope.of(request.user).is_admin

    def has_delete_permission(self, request, obj=None):
        return Scope.of(request.user).is_admin


@admin.register(Category)
class CategoryAdmin(DistrictConfigAdmin):
    list_display = ["code", "name", "parent", "contact_hours", "resolve_working_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(CalendarDay)
class CalendarDayAdmin(DistrictConfigAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
