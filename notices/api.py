"""REST API of the notice board: published notices are public reading for any signed-in user."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import Scope
from areas.models import Area
from linli.errors import ValidationError
from notices import serializers as s
from notices import services
from notices.selectors import visible_notices

ERRORS = {400: None, 403: None, 404: None, 409: None}


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NoticeSerializer

    def get_queryset(self):
        qs = visible_notices(Scope.of(self.request.user)).select_related("community")
        code = self.request.query_params.get("community")
        return qs.filter(community__code=code) if code else qs

    @extend_schema(
        parameters=[OpenApiParameter("community", str, description="社区代码")], summary="公示列表"
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.NoticeCreateSerializer, responses={201: s.NoticeSerializer, **ERRORS}, summary="发布公示"
    )
    def create(self, request):
        body = s.NoticeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        community = Area.objects.filter(pk=data.pop("community"), kind=Area.Kind.COMMUNITY).first()
        if community is None:
            raise ValidationError({"community": "社区不存在"})
        notice = services.notice_publish(user=request.user, community=community, **data)
        return Response(s.NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.NoticeReasonSerializer, responses={200: s.NoticeSerializer, **ERRORS}, summary="撤回公示"
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        body = s.NoticeReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = services.notice_withdraw(
            user=request.user, notice_id=self.get_object().pk, **body.validated_data
        )
        return Response(s.NoticeSerializer(notice).data)

    @extend_schema(methods=["get"], responses=s.ObjectionSerializer(many=True), summary="异议与答复")
    @extend_schema(
        methods=["post"],
        request=s.ObjectionCreateSerializer,
        responses={201: s.ObjectionSerializer, **ERRORS},
        summary="公示期内提出异议",
    )
    @action(detail=True, methods=["get", "post"])
    def objections(self, request, pk=None):
        notice = self.get_object()
        if request.method == "GET":
            return Response(s.ObjectionSerializer(notice.objections.all(), many=True).data)
        body = s.ObjectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_raise(user=request.user, notice_id=notice.pk, **body.validated_data)
        return Response(s.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.AnswerSerializer, responses={200: s.ObjectionSerializer, **ERRORS}, summary="答复异议"
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        notice = self.get_object()
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not notice.objections.filter(pk=body.validated_data["objection"]).exists():
            raise ValidationError({"objection": "该公示没有这条异议"})
        objection = services.objection_answer(
            user=request.user,
            objection_id=body.validated_data["objection"],
            answer=body.validated_data["answer"],
        )
        return Response(s.ObjectionSerializer(objection).data)
