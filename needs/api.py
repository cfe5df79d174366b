"""REST API of the needs list (需求清单): read the needs in scope, see which offers an open need may be given to,
and assign it by hand (人工派单) through ``needs.assign.need_assign``.

Refusals: the need is no longer open → 409; bad or unfitting offer → 400 with field messages; not community
staff of the need's community → 403; a need outside the user's scope → 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from linli.api import REFUSALS, validated
from linli.inputs import JSONParser
from needs import assign, selectors
from needs.models import Need
from needs.services import community_staff_of


class NeedSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    service_type_name = serializers.CharField(source="get_service_type_display", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "community",
            "category",
            "category_name",
            "service_type",
            "service_type_name",
            "group",
            "priority",
            "status",
            "created_at",
        ]


class OptionSerializer(serializers.Serializer):
    offer = serializers.IntegerField(source="offer.pk")
    title = serializers.CharField(source="offer.title")
    provider = serializers.CharField(source="offer.registration.registrant_name")
    distance_km = serializers.FloatField()
    remaining = serializers.IntegerField(help_text="本月还可接单数")
    within_reach = serializers.BooleanField(help_text="是否在其登记的服务半径内")


class AssignSerializer(serializers.Serializer):
    offer = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="派给哪条供给")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AssignedSerializer(serializers.Serializer):
    need = NeedSerializer()
    order = serializers.IntegerField(help_text="服务单（诉求）编号")
    order_status = serializers.CharField()


class NeedFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Need.Status.choices, required=False)
    community = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class NeedViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NeedSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        needs = selectors.needs(Scope.of(self.request.user)).order_by("-priority", "created_at", "id")
        if self.action == "list":
            params = validated(self.request, NeedFilterSerializer, query=True)
            if "status" in params:
                needs = needs.filter(status=params["status"])
            if "community" in params:
                needs = needs.filter(community_id=params["community"])
        return needs

    @extend_schema(parameters=[NeedFilterSerializer], summary="需求清单", responses={400: REFUSALS[400]})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: OptionSerializer(many=True), 403: REFUSALS[403], 404: REFUSALS[404]},
        summary="可以人工派给的供给（服务类型相符、本社区、本月有余量；近的在前）",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def offers(self, request, pk=None):
        need = self.get_object()
        if not community_staff_of(Scope.of(request.user), need.community):
            self.permission_denied(request, message="只有社区工作人员可以派单")
        return Response(OptionSerializer(assign.options_for(need), many=True).data)

    @extend_schema(
        request=AssignSerializer,
        responses={200: AssignedSerializer, **{code: REFUSALS[code] for code in (400, 403, 404, 409)}},
        summary="人工派单：把待匹配的需求派给一条供给",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        need = self.get_object()
        body = validated(request, AssignSerializer)
        order = assign.need_assign(
            actor=request.user, need_id=need.pk, offer_id=body["offer"], note=body["note"]
        )
        fresh = self.get_queryset().get(pk=need.pk)
        return Response({"need": NeedSerializer(fresh).data, "order": order.pk, "order_status": order.status})
