"""REST API of 党群服务阵地: sites (with rooms and hours), bookings and their steps, the 代办/预约 ledger.

The same services and scope as the pages. Out of scope → 404; bad fields → 400; no right → 403; a step not
allowed from the booking's state, or a room already taken at that time → 409 with the reason.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import Scope
from sites import ledger, services
from sites import scope as rights
from sites.models import Booking, OpeningHours, Room, ServiceRecord, ServiceSite

ERRORS = {400: None, 403: None, 404: None, 409: None}


class SiteHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes", "extended"]


class SiteRoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "active"]


class SiteSerializer(serializers.ModelSerializer):
    hours = SiteHoursSerializer(many=True, read_only=True)
    rooms = SiteRoomSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceSite
        fields = [
            "id",
            "community",
            "grid",
            "kind",
            "name",
            "address",
            "lat",
            "lng",
            "phone",
            "services",
            "hours",
            "rooms",
        ]


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = [
            "id",
            "site",
            "room",
            "kind",
            "service",
            "starts_at",
            "ends_at",
            "purpose",
            "attendees",
            "status",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Booking.Kind.choices)
    room = serializers.IntegerField(required=False, allow_null=True)
    service = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1, max_value=10000, default=1)


class BookingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SiteRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRecord
        fields = ["id", "site", "kind", "service", "served_at", "extended", "minutes", "status", "note"]
        read_only_fields = fields


class SiteRecordCreateSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ServiceRecord.Kind.choices)
    service = serializers.CharField(max_length=60)
    minutes = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    done = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """服务阵地：本人可见范围内的阵地、活动室和开放时间（is_extended 的时段为延时服务）。"""

    serializer_class = SiteSerializer

    def get_queryset(self):
        return rights.sites(Scope.of(self.request.user)).prefetch_related("hours", "rooms").order_by("pk")


def _step(name: str, summary: str, with_reason: bool = False):
    """One booking step as an API action: POST /api/site-bookings/<id>/<step>/."""

    def step(self, request, pk=None):
        booking = self.get_object()
        kwargs = {}
        if with_reason:
            body = BookingReasonSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs["reason"] = body.validated_data["reason"]
        done = getattr(services, f"booking_{name}")(user=request.user, booking_id=booking.pk, **kwargs)
        return Response(BookingSerializer(done).data)

    step.__name__ = step.__qualname__ = name
    documented = extend_schema(
        request=BookingReasonSerializer if with_reason else None,
        responses={200: BookingSerializer, **ERRORS},
        summary=summary,
    )(step)
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(documented)


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """预约：居民看自己的预约，工作人员看所管阵地的预约。"""

    serializer_class = BookingSerializer

    def get_queryset(self):
        qs = rights.bookings(Scope.of(self.request.user)).order_by("-starts_at", "-id")
        status_ = self.request.query_params.get("status")
        return qs.filter(status=status_) if status_ in Booking.Status.values else qs

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, **ERRORS},
        summary="预约活动室或服务（同一活动室同一时段已被预约时 409）",
    )
    def create(self, request):
        body = BookingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        booking = services.booking_request(
            user=request.user, site_id=data.pop("site"), room_id=data.pop("room", None), **data
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    confirm = _step("confirm", "确认预约")
    decline = _step("decline", "不同意预约（须说明原因）", with_reason=True)
    cancel = _step("cancel", "取消预约（预约人或工作人员）", with_reason=True)
    attend = _step("attend", "登记到场（服务预约记入台账）")
    no_show = _step("no_show", "登记未到场")


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """代办 / 预约台账。"""

    serializer_class = SiteRecordSerializer

    def get_queryset(self):
        return rights.records(Scope.of(self.request.user)).order_by("-served_at", "-id")

    @extend_schema(
        request=SiteRecordCreateSerializer,
        responses={201: SiteRecordSerializer, **ERRORS},
        summary="登记一次代办或预约服务",
    )
    def create(self, request):
        body = SiteRecordCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        record = ledger.record_create(user=request.user, site_id=data.pop("site"), **data)
        return Response(SiteRecordSerializer(record).data, status=status.HTTP_201_CREATED)
