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
        phones = self.context.get("phones")  # decided once for a page of people (PersonViewSet)
        if phones is not None and person.pk in phones:
            return phones[person.pk]
        return Scope.of(self.context["request"].user).phone_of(person)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return Scope.of(self.request.user).persons().order_by("id")

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page of people: their phones' visibility in one query
            people = list(args[0])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["phones"] = Scope.of(self.request.user).phones_of(people)
            args = (people, *args[1:])
        return super().get_serializer(*args, **kwargs)
