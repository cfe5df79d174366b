"""Units and party organisations the user may see."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from access.scope import Scope
from units.models import PartyOrg, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "kind", "code", "name", "home_area", "areas_served", "categories", "is_active"]


class PartyOrgSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartyOrg
        fields = ["id", "kind", "code", "name", "parent", "area", "unit"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return (
            Scope.of(self.request.user)
            .units()
            .prefetch_related("areas_served", "categories")
            .order_by("code")
        )


class PartyOrgViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartyOrgSerializer

    def get_queryset(self):
        return Scope.of(self.request.user).party_orgs().order_by("code")
