"""Read access to the area tree and buildings, scoped to the user."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from access.scope import Scope
from areas.models import Area, Building


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "kind", "code", "name", "parent", "depth", "population"]


class BuildingSerializer(serializers.ModelSerializer):
    households = serializers.IntegerField(source="households.count", read_only=True)

    class Meta:
        model = Building
        fields = ["id", "code", "name", "grid", "address", "floors", "built_year", "has_lift", "households"]


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AreaSerializer

    def get_queryset(self):
        qs = Scope.of(self.request.user).areas()
        kind = self.request.query_params.get("kind")
        if kind in Area.Kind.values:
            qs = qs.filter(kind=kind)
        return qs.order_by("path")


class BuildingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BuildingSerializer

    def get_queryset(self):
        return Scope.of(self.request.user).buildings().order_by("code")
