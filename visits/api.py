"""REST API of 走访: visits (log one idempotently, raise an appeal from it) and rounds with their coverage.

Refusals: bad input → 400 with field messages; a household or visit the user may not act on → 403; a record
outside the user's scope → 404; a conflicting write → 409. Sending the same ``key`` twice returns the first
visit (200 instead of 201), never a second one.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from audit.access_log import reveal_records
from linli import clock
from linli.api import REFUSALS, DecidedForTheLot, ForTheLot, validated
from linli.errors import ValidationError
from linli.inputs import JSONParser
from visits import selectors as sel
from visits import services
from visits.models import Finding, Round, Visit
from visits.scope import visible_rounds, visible_visits, visitable_households

CODES = (400, 403, 404, 409)


class VisitSerializer(DecidedForTheLot, serializers.ModelSerializer):
    household_name = serializers.CharField(source="household.__str__", read_only=True)
    seen: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    appeals = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        list_serializer_class = ForTheLot
        fields = [
            "id",
            "household",
            "household_name",
            "grid",
            "round",
            "visited_at",
            "met",
            "seen",
            "finding",
            "note",
            "key",
            "appeals",
        ]

    def for_lot(self, visits: list[Visit]) -> None:
        """A visit names its household's door and whom the visitor saw there (by their register number): a row
        per person seen in the PIPL access log, for a list in one insert."""
        request = self.context.get("request")
        if request is not None:
            reveal_records(
                user=request.user, shown=[(v.household, p) for v in visits if v.met for p in v.seen.all()]
            )

    def get_appeals(self, visit) -> list[int]:
        return [r.appeal_id for r in visit.referrals.all() if r.appeal_id]


class VisitLogSerializer(serializers.Serializer):
    household = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    key = serializers.UUIDField(help_text="表单生成时的提交编号；同一编号再次提交返回第一次的走访记录")
    seen = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, default=list
    )
    met = serializers.BooleanField(default=True, help_text="false：无人在家")
    finding = serializers.ChoiceField(choices=Finding.choices, default=Finding.NORMAL)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class VisitAppealSerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="提交编号；同一编号再次提交返回同一件诉求")
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)


class AppealRefSerializer(serializers.Serializer):
    appeal = serializers.IntegerField()
    status = serializers.CharField()


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VisitSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            visible_visits(Scope.of(self.request.user))
            .select_related("household__building")  # its name, and the access log's subject
            .prefetch_related("seen", "referrals")
            .order_by("-visited_at", "-id")
        )

    @extend_schema(
        request=VisitLogSerializer,
        responses={201: VisitSerializer, 200: VisitSerializer, **{c: REFUSALS[c] for c in CODES}},
        summary="登记走访（幂等：同一提交编号只登记一次）",
    )
    def create(self, request):
        data = validated(request, VisitLogSerializer)
        household = (
            visitable_households(Scope.of(request.user))
            .filter(pk=data["household"])
            .select_related("building__grid")
            .first()
        )
        if household is None:
            raise NotFound("住户不存在或不在您的网格内")
        members = {m.person_id: m.person for m in household.memberships.select_related("person")}
        if not set(data["seen"]) <= set(members):
            raise ValidationError({"seen": "见到的人须是这一户的成员"})
        visit, created = services.visit_log(
            user=request.user,
            household=household,
            key=data["key"],
            seen=[members[i] for i in data["seen"]],
            met=data["met"],
            finding=data["finding"],
            note=data["note"],
        )
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=VisitAppealSerializer,
        responses={201: AppealRefSerializer, **{c: REFUSALS[c] for c in CODES}},
        summary="由走访替住户登记诉求（渠道：网格员走访；同一提交编号只登记一次）",
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        visit = self.get_object()
        body = validated(request, VisitAppealSerializer)
        appeal = services.visit_raise_appeal(user=request.user, visit_id=visit.pk, **body)
        return Response({"appeal": appeal.pk, "status": appeal.status}, status=status.HTTP_201_CREATED)


class GridCoverageSerializer(serializers.Serializer):
    grid = serializers.IntegerField(source="rg.grid_id")
    grid_name = serializers.CharField(source="rg.grid.name")
    due_on = serializers.DateField(source="rg.due_on")
    households = serializers.IntegerField()
    visited = serializers.IntegerField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, cov) -> list[int]:
        return [h.pk for h in cov.overdue]


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "area", "kind", "title", "starts_on", "ends_on", "created_at"]
        read_only_fields = ["id", "created_at"]


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoundSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return visible_rounds(Scope.of(self.request.user)).order_by("-starts_on", "-id")

    @extend_schema(
        request=RoundSerializer,
        responses={201: RoundSerializer, **{c: REFUSALS[c] for c in CODES}},
        summary="安排走访轮次（各网格由其网格员负责）",
    )
    def create(self, request):
        d = validated(request, RoundSerializer)
        area = Scope.of(request.user).areas().filter(pk=d["area"].pk).first()
        if area is None:
            raise NotFound("区域不存在或不在您的范围内")
        rnd = services.round_open(
            user=request.user,
            area=area,
            kind=d["kind"],
            title=d["title"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        )
        return Response(RoundSerializer(rnd).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: GridCoverageSerializer(many=True), 404: REFUSALS[404]},
        summary="本轮各网格的走访覆盖和逾期未走访户",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def coverage(self, request, pk=None):
        rnd = self.get_object()
        now = clock.now()
        rows = [sel.grid_coverage(rg, now) for rg in rnd.grids.select_related("grid")]
        return Response(GridCoverageSerializer(rows, many=True).data)
