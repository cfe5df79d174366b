from django.contrib import admin

from triage.models import EarlyWarning, LabelledExample, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["area", "category", "unit", "updated_by", "updated_at"]
    list_filter = ["category"]
    raw_id_fields = ["area", "unit"]

    def save_model(self, request, obj, form, change):
        from triage.services import routing_rule_set

        saved = routing_rule_set(user=request.user, category=obj.category, area=obj.area, unit=obj.unit)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        from triage.services import routing_rule_delete

        routing_rule_delete(user=request.user, rule_id=obj.pk)


@admin.register(LabelledExample)
class LabelledExampleAdmin(admin.ModelAdmin):
    list_display = ["appeal", "label", "confirmed_by", "confirmed_at"]
    list_filter = ["label"]
    raw_id_fields = ["appeal"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    list_display = ["week_start", "kind", "area", "category", "count", "baseline", "score"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
