"""REST API of 评选: campaigns in scope, nominate, score, and the campaign's steps.

Refusals: bad input → 400 with field messages; no right (not a resident/worker/staff of the community, not on the
panel, not its community staff) → 403; outside the user's scope → 404; a step not allowed now (nominations
closed, already nominated, the 公示 still running) → 409.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from areas.models import Building, Household
from campaigns import services
from campaigns.models import Campaign, Criterion, Nomination
from campaigns.scope import visible_campaigns
from linli.api import REFUSALS
from linli.inputs import JSONParser

CODES = {c: REFUSALS[c] for c in (400, 403, 404, 409)}


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "max_points"]


class NominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "public_name", "source", "reason", "status", "total", "nominated_at"]


class CampaignSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    nominations = NominationSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "community",
            "kind",
            "title",
            "description",
            "nominations_close",
            "places",
            "status",
            "criteria",
            "nominations",
            "notice",
            "finished_at",
        ]


class NominateSerializer(serializers.Serializer):
    household = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    building = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(max_length=2000)


class ScoreSerializer(serializers.Serializer):
    nomination = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    points = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100), help_text="评分项编号 → 得分"
    )


class PublicizeSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=90, default=7)


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            visible_campaigns(Scope.of(self.request.user))
            .prefetch_related("criteria", "nominations")
            .order_by("-created_at", "-id")
        )

    def _fresh(self, pk: int) -> Response:
        return Response(CampaignSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        request=NominateSerializer, responses={201: NominationSerializer, **CODES}, summary="推荐家庭或楼院"
    )
    @action(detail=True, methods=["post"])
    def nominate(self, request, pk=None):
        campaign = self.get_object()
        body = NominateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        inside = {"grid__path__startswith": campaign.community.path}
        household = building = None
        if "household" in d:
            household = Household.objects.filter(
                pk=d["household"], **{f"building__{k}": v for k, v in inside.items()}
            ).first()
            if household is None:
                raise NotFound("住户不存在或不在本社区")
        if "building" in d:
            building = Building.objects.filter(pk=d["building"], **inside).first()
            if building is None:
                raise NotFound("楼栋不存在或不在本社区")
        n = services.nomination_create(
            user=request.user,
            campaign_id=campaign.pk,
            reason=d["reason"],
            household=household,
            building=building,
        )
        return Response(NominationSerializer(n).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ScoreSerializer,
        responses={200: NominationSerializer, **CODES},
        summary="评审组成员为一个提名的每个评分项打分",
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        campaign = self.get_object()
        body = ScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        nomination = campaign.nominations.filter(pk=body.validated_data["nomination"]).first()
        if nomination is None:
            raise NotFound("提名不存在")
        points = {}
        for k, v in body.validated_data["points"].items():
            if not str(k).isdigit():
                raise serializers.ValidationError({"points": "评分项编号须为数字"})
            points[int(k)] = v
        n = services.score_submit(user=request.user, nomination_id=nomination.pk, points=points)
        return Response(NominationSerializer(n).data)

    @extend_schema(request=None, responses={200: CampaignSerializer, **CODES}, summary="截止提名、开始评审")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        services.campaign_review(user=request.user, campaign_id=self.get_object().pk)
        return self._fresh(pk)

    @extend_schema(
        request=PublicizeSerializer,
        responses={200: CampaignSerializer, **CODES},
        summary="在阳光居务公示拟表彰名单",
    )
    @action(detail=True, methods=["post"])
    def publicize(self, request, pk=None):
        campaign = self.get_object()
        body = PublicizeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.campaign_publicize(
            user=request.user, campaign_id=campaign.pk, days=body.validated_data["days"]
        )
        return self._fresh(pk)

    @extend_schema(
        request=None, responses={200: CampaignSerializer, **CODES}, summary="公示期满、异议答复后揭晓结果"
    )
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        services.campaign_finish(user=request.user, campaign_id=self.get_object().pk)
        return self._fresh(pk)
