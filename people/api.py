"""People the user may see; the phone is masked unless the scope says the user needs it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from access.scope import Scope
from people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "phone", "gender", "birth_year", "community", "is_party_member", "party_org"]

    @extend_schema_field(serializers.CharField())
    def get_phone(self, person: Person) -> str:
        return Scope.of(self.context["request"].user).phone_of(person)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return Scope.of(self.request.user).persons().order_by("id")
