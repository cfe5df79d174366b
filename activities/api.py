"""REST API of 活动: activities (list with the page's filters, plan, publish, cancel, sign up, withdraw, check in
by the QR code or by staff ticking names, close with a report) and their attendance.

The same services and scope as the pages. Out of scope → 404; bad fields → 400; no right → 403; a step not
allowed now (wrong state, no place left, signed up already) → 409 with the reason.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import Scope
from activities import scope as rights
from activities import selectors, services
from activities.models import Activity, Attendance
from areas.models import Area
from linli.errors import ValidationError
from sites.models import ServiceSite

ERRORS = {400: None, 403: None, 404: None, 409: None}


class ActivitySerializer(serializers.ModelSerializer):
    signed = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "community", "area", "kind", "title", "starts_at", "ends_at", "site", "place", "organiser",
            "unit", "cap", "description", "status", "report", "signed", "present",
        ]  # fmt: skip
        read_only_fields = fields


class ActivityPlanSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    area = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    title = serializers.CharField(max_length=120)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    site = serializers.IntegerField(required=False, allow_null=True)
    place = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    organiser = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    unit = serializers.IntegerField(required=False, allow_null=True)
    cap = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "activity",
            "person",
            "person_name",
            "via",
            "signed_up_at",
            "checked_in_at",
            "minutes",
        ]
        read_only_fields = fields


class ActivityReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ActivityReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=4000)


class ActivityScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200)


class ActivityTickSerializer(serializers.Serializer):
    people = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)


def _one(qs, pk, field: str, label: str):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: f"{label}不存在或不在您的范围内"})
    return obj


def _body(request, cls):
    body = cls(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=Activity.Kind.values),
        OpenApiParameter("status", str, enum=Activity.Status.values),
        OpenApiParameter("month", str, description="YYYY-MM"),
        OpenApiParameter("area", int),
    ]
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """社区活动：居民看面向自己的已发布活动，工作人员看所在社区的全部活动。"""

    serializer_class = ActivitySerializer

    def get_queryset(self):
        qs, _used = selectors.filtered(Scope.of(self.request.user), self.request.query_params)
        return selectors.with_counts(qs).order_by("-starts_at", "-id")

    def _answer(self, activity_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity_id)).data, status=code)

    @extend_schema(
        request=ActivityPlanSerializer, responses={201: ActivitySerializer, **ERRORS}, summary="策划活动"
    )
    def create(self, request):
        data = _body(request, ActivityPlanSerializer)
        scope = Scope.of(request.user)
        community = _one(
            scope.areas().filter(kind=Area.Kind.COMMUNITY), data.pop("community"), "community", "社区"
        )
        data["area"] = _one(scope.areas(), data.pop("area", None), "area", "区域")
        data["site"] = _one(
            ServiceSite.objects.filter(community=community), data.pop("site", None), "site", "服务阵地"
        )
        data["unit"] = _one(scope.units(), data.pop("unit", None), "unit", "共建单位")
        activity = services.activity_plan(user=request.user, community=community, **data)
        return self._answer(activity.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: ActivitySerializer, **ERRORS}, summary="发布（面向的居民可报名）"
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.activity_publish(user=request.user, activity_id=self.get_object().pk).pk)

    @extend_schema(
        request=ActivityReasonSerializer, responses={200: ActivitySerializer, **ERRORS}, summary="取消活动"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reason = _body(request, ActivityReasonSerializer)["reason"]
        activity = services.activity_cancel(
            user=request.user, activity_id=self.get_object().pk, reason=reason
        )
        return self._answer(activity.pk)

    @extend_schema(
        request=None, responses={201: AttendanceSerializer, **ERRORS}, summary="报名（名额已满 409）"
    )
    @action(detail=True, methods=["post"])
    def signup(self, request, pk=None):
        attendance = services.activity_signup(user=request.user, activity_id=self.get_object().pk)
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ActivitySerializer, **ERRORS}, summary="取消报名")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(
            services.activity_withdraw(user=request.user, activity_id=self.get_object().pk).pk
        )

    @extend_schema(
        request=ActivityScanSerializer, responses={200: AttendanceSerializer, **ERRORS}, summary="扫码签到"
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        code = _body(request, ActivityScanSerializer)["code"]
        attendance = services.activity_scan(user=request.user, activity_id=self.get_object().pk, code=code)
        return Response(AttendanceSerializer(attendance).data)

    @extend_schema(
        request=ActivityTickSerializer,
        responses={200: AttendanceSerializer(many=True), **ERRORS},
        summary="工作人员勾选签到",
    )
    @action(detail=True, methods=["post"])
    def tick(self, request, pk=None):
        people = _body(request, ActivityTickSerializer)["people"]
        done = services.activity_tick(user=request.user, activity_id=self.get_object().pk, person_ids=people)
        return Response(AttendanceSerializer(done, many=True).data)

    @extend_schema(
        request=ActivityReportSerializer,
        responses={200: ActivitySerializer, **ERRORS},
        summary="结束活动并写小结（计入时长）",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = _body(request, ActivityReportSerializer)["report"]
        return self._answer(
            services.activity_close(user=request.user, activity_id=self.get_object().pk, report=report).pk
        )

    @extend_schema(
        responses={200: AttendanceSerializer(many=True), **ERRORS}, summary="报名与签到名单（工作人员）"
    )
    @action(detail=True, methods=["get"])
    def attendance(self, request, pk=None):
        activity = self.get_object()
        if not rights.may_tick(Scope.of(request.user), activity):
            from linli.errors import PermissionDenied

            raise PermissionDenied("只有工作人员可以查看名单")
        rows = activity.attendances.select_related("person")
        return Response(AttendanceSerializer(rows, many=True).data)
