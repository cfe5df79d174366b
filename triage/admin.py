"""The triage tables in the admin follow the product's scope (``access.admin_scope.ScopedAdmin``): staff see the
routing rules, early warnings and labelled history of their own areas, and change only the rules they keep."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from access.admin_scope import ReadOnlyScopedAdmin
from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, Scope
from appeals.selectors import visible_appeals
from categories.models import Category
from triage import selectors, services
from triage.models import EarlyWarning, LabelledExample, RoutingRule
from units.models import Unit


class TriageAdmin(ReadOnlyScopedAdmin):
    """Only area staff (and the administrator) work with triage tables; ``scoped`` gives the rows they see.
    Warnings and history are records; routing rules change through their service (below)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        scope = self._scope(request)
        return super().has_module_permission(request) and (
            scope.is_admin or bool(scope.nodes(AREA_STAFF_ROLES))
        )


class RoutingRuleForm(forms.ModelForm):
    scope: Scope  # set by RoutingRuleAdmin.get_form

    class Meta:
        model = RoutingRule
        fields = ["category", "area", "unit"]

    def clean(self):
        data = super().clean()
        category, area, unit = data.get("category"), data.get("area"), data.get("unit")
        category = category or (self.instance.category if self.instance.pk else None)
        area = area or (self.instance.area if self.instance.pk else None)
        if category is not None and area is not None and unit is not None:
            try:
                services.routing_rule_check(scope=self.scope, category=category, area=area, unit=unit)
            except PermissionDenied as exc:
                self.add_error("area", str(exc))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data

    def validate_unique(self):
        pass  # setting a category's rule at an area again replaces it (routing_rule_set)


@admin.register(RoutingRule)
class RoutingRuleAdmin(TriageAdmin):
    """Staff see the rules at their areas and the ones they inherit from above; community and subdistrict staff
    add and change rules at their own area and below (only the unit of an existing rule; its place and category
    are what the rule is)."""

    form = RoutingRuleForm
    list_display = ["area", "category", "unit", "updated_by", "updated_at"]
    list_filter = ["category"]
    list_select_related = ["area", "category", "unit", "updated_by"]
    raw_id_fields = ["area", "unit"]

    def scoped(self, scope: Scope):
        return selectors.routing_rules_visible(scope)

    def _keeps_rules(self, request: HttpRequest) -> bool:
        scope = self._scope(request)
        return self.has_module_permission(request) and (
            scope.is_admin or bool(scope.nodes(AREA_MANAGER_ROLES))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._keeps_rules(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._keeps_rules(request):
            return False
        if obj is None:
            return True
        scope = self._scope(request)
        return self.has_view_permission(request, obj) and services.can_manage_routing(scope, obj.area)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return ["category", "area"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # a new class on every call
        scope = self._scope(request)
        form.scope = scope
        # the choices are what the user may pick (narrower than what they see): a raw id typed in from outside
        # them is refused by the field like any invalid choice
        choices = {
            "area": selectors.routing_areas_managed(scope),
            "unit": (Unit.objects.all() if scope.is_admin else scope.units()).filter(is_active=True),
            "category": Category.objects.filter(parent__isnull=True, is_active=True),
        }
        for name, queryset in choices.items():
            if name in form.base_fields:
                form.base_fields[name].queryset = queryset  # type: ignore[attr-defined]
        return form

    def save_model(self, request, obj, form, change):
        saved = services.routing_rule_set(
            user=request.user, category=obj.category, area=obj.area, unit=obj.unit
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.routing_rule_delete(user=request.user, rule_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.routing_rule_delete(user=request.user, rule_id=rule.pk)


@admin.register(LabelledExample)
class LabelledExampleAdmin(TriageAdmin):
    """The labelled history with what was suggested (category, path, unit); above the list, how often staff kept
    the suggested category and the suggested unit (over the rows listed: the user's scope and the chosen
    filter), each rate beside its fraction."""

    list_display = [
        "appeal",
        "label",
        "suggested",
        "confidence_shown",
        "accepted",
        "category",
        "suggested_category",
        "unit",
        "suggested_unit",
        "unit_kept",
        "confirmed_by",
        "confirmed_at",
    ]
    list_filter = ["label", "suggested"]
    list_select_related = [
        "appeal",
        "confirmed_by",
        "category__parent",
        "suggested_category__parent",
        "unit",
        "suggested_unit",
    ]
    raw_id_fields = ["appeal"]

    def scoped(self, scope: Scope):
        return LabelledExample.objects.filter(appeal__in=visible_appeals(scope))

    @admin.display(description="置信度", ordering="confidence")
    def confidence_shown(self, obj: LabelledExample) -> str:
        return f"{obj.confidence:.0%}" if obj.confidence is not None else "—"

    @admin.display(description="采纳建议", boolean=True)
    def accepted(self, obj: LabelledExample) -> bool | None:
        return obj.label == obj.suggested if obj.suggested else None

    @admin.display(description="采纳建议单位", boolean=True)
    def unit_kept(self, obj: LabelledExample) -> bool | None:
        return obj.unit_id == obj.suggested_unit_id if obj.suggested_unit_id and obj.unit_id else None

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)  # a redirect (a bulk action) has none
        if context is not None and "cl" in context:
            context["acceptance"] = selectors.suggestion_acceptance(context["cl"].queryset)
            context["unit_acceptance"] = selectors.unit_acceptance(context["cl"].queryset)
            context["min_confidence"] = settings.TRIAGE_MIN_CONFIDENCE
        return response


@admin.register(EarlyWarning)
class EarlyWarningAdmin(TriageAdmin):
    list_display = ["week_start", "kind", "area", "category", "count", "baseline", "score"]
    list_filter = ["kind"]
    list_select_related = ["area", "category"]

    def scoped(self, scope: Scope):
        return selectors.warnings_visible(scope)
