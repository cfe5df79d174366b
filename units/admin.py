from django.contrib import admin

from access.admin_scope import ScopedAdmin
from units.models import CoBuildingLink, PartyOrg, Unit


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    scope_queryset = "units"
    scope_can_change = "can_change_unit"
    list_display = ["name", "kind", "code", "home_area", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["areas_served", "categories"]
    raw_id_fields = ["home_area"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "kind", "home_area"] if obj and not self._scope(request).is_admin else []


class CoBuildingInline(admin.TabularInline):
    model = CoBuildingLink
    extra = 0
    raw_id_fields = ["community"]


@admin.register(PartyOrg)
class PartyOrgAdmin(ScopedAdmin):
    scope_queryset = "party_orgs"
    scope_can_change = "can_change_party_org"
    list_display = ["name", "kind", "code", "parent", "area", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "area", "unit"]
    inlines = [CoBuildingInline]
