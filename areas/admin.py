from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from access.admin_scope import ScopedAdmin
from areas import services
from areas.models import Area, Building, Household


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    scope_queryset = "areas"
    scope_can_change = "can_change_area"
    list_display = ["name", "kind", "code", "parent", "population"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    fields = ["kind", "code", "name", "parent", "population", "shape"]
    readonly_fields = ["path"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a node changes its subtree's paths: that goes through areas.services.area_move.
        return ["kind", "code", "parent"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            services.area_update(
                actor=request.user, area=obj, name=obj.name, population=obj.population, shape=obj.shape
            )
        else:
            created = services.area_create(
                actor=request.user,
                kind=obj.kind,
                code=obj.code,
                name=obj.name,
                parent=obj.parent,
                population=obj.population,
                shape=obj.shape,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth

    def delete_model(self, request, obj):
        try:
            services.area_delete(actor=request.user, area=obj)
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for area in queryset.order_by("-depth"):
            self.delete_model(request, area)


class HouseholdInline(admin.TabularInline):
    model = Household
    extra = 0
    fields = ["number", "floor_area"]


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    scope_queryset = "buildings"
    scope_can_change = "can_change_building"
    list_display = ["name", "code", "grid", "floors", "has_lift"]
    search_fields = ["name", "code", "address"]
    list_select_related = ["grid"]
    inlines = [HouseholdInline]
    raw_id_fields = ["grid"]
