from django.contrib import admin

from access.scope import Scope
from categories.models import CalendarDay, Category
from linli.admin import AdministratorOnly


class DistrictConfigAdmin(AdministratorOnly):
    """District-wide configuration: administrators edit, staff read."""

    def has_module_permission(self, request):
        return request.user.is_staff and Scope.of(request.user).is_staff_like

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Category)
class CategoryAdmin(DistrictConfigAdmin):
    list_display = ["code", "name", "parent", "contact_hours", "resolve_working_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(CalendarDay)
class CalendarDayAdmin(DistrictConfigAdmin):
    """Official days come from ``manage.py sync_calendar``; a day saved here becomes a local override (本地调整),
    which the sync leaves alone, so the administrator's word wins. Deleting a local day and syncing the year
    again brings back the official one."""

    list_display = ["date", "weekday", "is_workday", "name", "source"]
    list_filter = ["source", "is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source"]
    fields = ["date", "is_workday", "name", "source"]

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "周" + "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.LOCAL
        super().save_model(request, obj, form, change)
