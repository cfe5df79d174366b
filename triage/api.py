"""REST API of smart triage: hotspots, routing rules, and an appeal's suggestion and likely duplicates."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied as Forbidden
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 here, not Django's ValueError
from rest_framework.response import Response

from access.scope import AREA_STAFF_ROLES, Scope
from appeals.models import OPEN_STATUSES
from appeals.selectors import visible_appeals
from areas.models import Area
from categories.models import Category
from linli.api import REFUSALS
from triage import selectors, services
from triage.models import RoutingRule
from units.models import Unit


def _staff(request) -> Scope:
    scope = Scope.of(request.user)
    if not (scope.is_admin or scope.nodes(AREA_STAFF_ROLES)):
        raise Forbidden("只有社区、街道和区的工作人员可以查看")
    return scope


class HotspotMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    submitted_at = serializers.DateTimeField(source="at")


class HotspotSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    heat = serializers.FloatField()
    place = serializers.CharField()
    description = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    appeals = serializers.IntegerField()
    people = serializers.IntegerField()
    support = serializers.IntegerField()
    members = HotspotMemberSerializer(many=True)


class HotspotViewSet(viewsets.ViewSet):
    @extend_schema(
        responses={200: HotspotSerializer(many=True), 400: REFUSALS[400]},
        parameters=[
            OpenApiParameter("days", int, description="look back this many days (1–365, default 90)")
        ],
        summary="热点问题（按热度排序）",
    )
    def list(self, request):
        scope = _staff(request)
        raw = request.query_params.get("days", str(selectors.HOTSPOT_DAYS))
        if not raw.isdigit() or not 1 <= int(raw) <= 365:
            raise serializers.ValidationError({"days": "请填写 1 到 365 之间的天数"})
        found = selectors.hotspots_in_scope(scope, days=int(raw))[:50]
        data = [
            {
                "rank": rank,
                "heat": h.heat,
                "place": h.where,
                "description": h.description,
                "start": h.start,
                "end": h.end,
                "appeals": len(h.members),
                "people": h.people,
                "support": h.support,
                "members": [{"id": int(m.id), "title": m.title, "at": m.at} for m in h.members],
            }
            for rank, h in enumerate(found, start=1)
        ]
        return Response(HotspotSerializer(data, many=True).data)


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())

    class Meta:
        model = RoutingRule
        fields = ["id", "category", "area", "unit", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators: list = []


class RoutingRuleViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """分拨规则: category × area → unit. POST sets (creates or replaces) the rule of a category at an area."""

    serializer_class = RoutingRuleSerializer

    def get_queryset(self):
        return selectors.routing_rules_visible(_staff(self.request))

    def create(self, request, *args, **kwargs):
        body = RoutingRuleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rule = services.routing_rule_set(user=request.user, **body.validated_data)
        return Response(RoutingRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        rule = self.get_object()
        services.routing_rule_delete(user=request.user, rule_id=rule.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DuplicateSerializer(serializers.Serializer):
    appeal_id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    same_grid = serializers.BooleanField()
    same_building = serializers.BooleanField()
    why = serializers.CharField()
    score = serializers.FloatField()


class PathSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    path = serializers.CharField()
    confidence = serializers.FloatField()


class UnitGuessSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    name = serializers.CharField()
    basis = serializers.ChoiceField(choices=["rule", "history", "duty", "compound"])
    reason = serializers.CharField()


class IntakeHintSerializer(serializers.Serializer):
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    confidence = serializers.FloatField(allow_null=True)
    confident = serializers.BooleanField()
    category = serializers.IntegerField(allow_null=True)
    unit = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    paths = PathSerializer(many=True)
    units = UnitGuessSerializer(many=True)
    duplicates = DuplicateSerializer(many=True)


class IntakeHintViewSet(viewsets.ViewSet):
    """``GET /api/triage/{appeal_id}/``: the category path and unit suggested for an appeal (each unit with its
    reason), and its likely duplicates."""

    @extend_schema(responses=IntakeHintSerializer, summary="智能分拨建议与可能重复的诉求")
    def retrieve(self, request, pk=None):
        scope = _staff(request)
        appeal = get_object_or_404(visible_appeals(scope).select_related("category", "community"), pk=pk)
        suggestion = selectors.suggestion_for(appeal)
        duplicates = selectors.duplicates_for(appeal) if appeal.status in OPEN_STATUSES else []
        data = {
            "label": suggestion.label if suggestion else None,
            "confidence": round(suggestion.confidence, 4) if suggestion else None,
            "confident": bool(suggestion and suggestion.confident),
            "category": suggestion.category.pk if suggestion and suggestion.category else None,
            "unit": suggestion.unit.pk if suggestion and suggestion.unit else None,
            "reason": suggestion.reason if suggestion else "",
            "paths": [
                {"category": p.category.pk, "path": p.path, "confidence": round(p.confidence, 4)}
                for p in (suggestion.paths if suggestion else [])
            ],
            "units": [
                {"unit": u.unit.pk, "name": u.unit.name, "basis": u.source, "reason": u.reason}
                for u in (suggestion.units if suggestion else [])
            ],
            "duplicates": [d.__dict__ for d in duplicates],
        }
        return Response(IntakeHintSerializer(data).data)
