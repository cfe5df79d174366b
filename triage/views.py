"""Pages of smart triage: hotspots and early warnings for staff; the routing table for community and subdistrict
staff."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals.errors import PermissionDenied, ValidationError
from areas.models import Area
from categories.models import Category
from spreadsheets.lists import list_response, wants_xlsx
from triage import selectors, services
from units.models import Unit


def _staff(request) -> Scope:
    scope = Scope.of(request.user)
    if not (scope.is_admin or scope.nodes(selectors.AREA_STAFF_ROLES)):
        raise Forbidden("只有社区、街道和区的工作人员可以查看")
    return scope


@login_required
def hotspot_list(request):
    scope = _staff(request)
    if wants_xlsx(request):
        rows = (
            [
                rank,
                h.heat,
                timezone.localtime(h.start).date(),
                timezone.localtime(h.end).date(),
                h.where,
                h.description,
                len(h.members),
                h.people,
                "、".join(f"#{m.id}" for m in h.members),
            ]
            for rank, h in enumerate(selectors.hotspots_in_scope(scope)[:50], start=1)
        )
        return list_response(
            title=f"近 {selectors.HOTSPOT_DAYS} 天的热点",
            filename="hotspots.xlsx",
            headers=["排名", "热度", "开始", "结束", "地点", "问题", "诉求数", "人数", "诉求编号"],
            rows=rows,
            formats=["0", "0.0", "yyyy-mm-dd", "yyyy-mm-dd", None, None, "0", "0", None],
        )
    return render(
        request,
        "triage/hotspots.html",
        {
            "hotspots": selectors.hotspots_in_scope(scope)[:20],
            "warnings": selectors.warnings_visible(scope)[:30],
            "days": selectors.HOTSPOT_DAYS,
        },
    )


class RoutingRuleForm(forms.Form):
    category: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Category.objects.none(), label="类别（末级或一级）"
    )
    area: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Area.objects.none(), label="区域（社区、街道或区）"
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Unit.objects.none(), label="承办单位")

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent")
        areas = scope.areas().filter(kind__in=services.ROUTING_AREA_KINDS).order_by("path")
        fields["area"].queryset = areas  # the service checks the right to manage each one
        fields["unit"].queryset = scope.units().filter(is_active=True).order_by("kind", "code")


@login_required
def routing_rules(request):
    scope = _staff(request)
    form = RoutingRuleForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_set(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, "分拨规则已保存")
            return redirect("triage-routing")
    rules = selectors.routing_rules_visible(scope)
    return render(
        request,
        "triage/routing.html",
        {
            "form": form,
            "rules": [(r, services.can_manage_routing(scope, r.area)) for r in rules],
        },
    )


@login_required
@require_POST
def routing_rule_delete(request, pk: int):
    _staff(request)
    try:
        services.routing_rule_delete(user=request.user, rule_id=pk)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "分拨规则已删除")
    return redirect("triage-routing")
