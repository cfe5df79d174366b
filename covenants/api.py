"""REST API of 居民公约: covenants in scope with the versions the user may see, and the steps of a version.

Refusals: bad input → 400 with field messages; not the community's staff → 403; outside the user's scope → 404;
a step not allowed now (no vote passed yet, a version already open) → 409.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from covenants import services
from covenants.models import Covenant, Version
from covenants.scope import visible_covenants, visible_versions
from linli.api import REFUSALS
from linli.inputs import JSONParser

CODES = {c: REFUSALS[c] for c in (400, 403, 404, 409)}


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Version
        fields = [
            "id",
            "number",
            "status",
            "text",
            "changes",
            "topic",
            "adopted_at",
            "in_force_from",
            "superseded_at",
        ]


class CovenantSerializer(serializers.ModelSerializer):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Covenant
        fields = ["id", "community", "compound", "title", "versions"]

    def get_versions(self, covenant) -> list:
        scope = Scope.of(self.context["request"].user)
        return list(VersionSerializer(visible_versions(scope, covenant), many=True).data)


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    step = serializers.ChoiceField(choices=["deliberate", "adopt", "reject", "publish"])


class CovenantViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CovenantSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return visible_covenants(Scope.of(self.request.user)).order_by("community", "compound", "id")

    @extend_schema(
        request=StepSerializer,
        responses={200: VersionSerializer, **CODES},
        summary="公约版本的一步：提交协商、确认表决通过或未通过、公布施行",
    )
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        covenant = self.get_object()
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = (
            visible_versions(Scope.of(request.user), covenant)
            .filter(pk=body.validated_data["version"])
            .first()
        )
        if version is None:
            raise NotFound("公约版本不存在")
        fn = {"deliberate": services.version_deliberate, "adopt": services.version_adopt,
              "reject": services.version_reject, "publish": services.version_publish}[body.validated_data["step"]]  # fmt: skip
        return Response(VersionSerializer(fn(user=request.user, version_id=version.pk)).data)
