"""REST API of the mediation loop: the same services and scope as the pages.

Refusals: a step not allowed now → 409; bad fields → 400 with field messages; no right → 403; a case outside
the person's scope → 404. Parties and statements are in the detail only for those who may see them.
"""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from disputes import outcome, services
from disputes import serializers as s
from disputes.models import Case, DisputeKind
from disputes.scope import actor_for, visible_cases
from disputes.scope import may as may_act
from disputes.selectors import BoardFilters, board
from disputes.steps import CASES
from linli.api import REFUSALS
from linli.inputs import JSONParser

ERRORS = {code: REFUSALS[code] for code in (400, 403, 404, 409)}


def _step(body: type[serializers.Serializer] | None, summary: str):
    return extend_schema(
        request=body, responses={200: s.DisputeCaseDetailSerializer, **ERRORS}, summary=summary
    )


class KindViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The configurable list of dispute kinds with their time limits."""

    serializer_class = s.DisputeKindSerializer
    queryset = DisputeKind.objects.filter(active=True)
    pagination_class = None


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        scope = Scope.of(self.request.user)
        if self.action == "list":
            params = s.DisputeBoardFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            data = params.validated_data
            area = scope.areas().filter(pk=data["area"]).first() if data["area"] else None
            return board(
                scope,
                BoardFilters(
                    state=data["state"],
                    area=area,
                    kind=data["kind"],
                    overdue=data["overdue"],
                    risk=data["risk"],
                ),
            )
        return visible_cases(scope).select_related("kind", "community", "grid", "owner")

    def get_serializer_class(self):
        return s.DisputeCaseListSerializer if self.action == "list" else s.DisputeCaseDetailSerializer

    def _detail(self, case: Case) -> Response:
        scope = Scope.of(self.request.user)
        actor = actor_for(scope, case)
        allowed = CASES.offered(case, lambda a: may_act(actor, a))
        context = {**self.get_serializer_context(), "actor": actor, "allowed": allowed}
        return Response(s.DisputeCaseDetailSerializer(case, context=context).data)

    @extend_schema(
        parameters=[s.DisputeBoardFilterSerializer],
        responses={200: s.DisputeCaseListSerializer(many=True), 400: REFUSALS[400]},
        summary="纠纷案件列表（按状态、区域、类型、超时、可能激化筛选）",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: s.DisputeCaseDetailSerializer, 404: REFUSALS[404]}, summary="纠纷案件详情")
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=s.DisputeRegisterSerializer,
        responses={201: s.DisputeCaseDetailSerializer, 400: REFUSALS[400], 403: REFUSALS[403]},
        summary="登记纠纷（走访、热线、上级交办、居民申请）",
    )
    def create(self, request):
        body = s.DisputeRegisterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_register(user=request.user, **body.validated_data)
        response = self._detail(visible_cases(Scope.of(request.user)).get(pk=case.pk))
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=s.DisputeConvertSerializer,
        responses={201: s.DisputeCaseDetailSerializer, **ERRORS},
        summary="诉求转为纠纷案件（诉求保留自己的办理记录，两者互相关联）",
    )
    @action(detail=False, methods=["post"], url_path="from-appeal")
    def from_appeal(self, request):
        body = s.DisputeConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.case_convert_appeal(
            user=request.user,
            appeal_id=data["appeal"],
            kind=data["kind"],
            respondent=data["respondent"],
            risk=data["risk"],
        )
        response = self._detail(visible_cases(Scope.of(request.user)).get(pk=case.pk))
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        responses={200: s.DisputeEventSerializer(many=True), 404: REFUSALS[404]}, summary="案件办理记录"
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        case = self.get_object()
        return Response(s.DisputeEventSerializer(case.events.all(), many=True).data)

    # ---- steps: each validates its body, then calls its one service function ----
    def _run(self, request, body_class, service: Callable, **extra):
        case = self.get_object()
        data: dict = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
            if hasattr(body, "to_service"):
                data = body.to_service(data)
        service(user=request.user, case_id=case.pk, **data, **extra)
        return self._detail(self.get_queryset().get(pk=case.pk))

    @_step(s.DisputeTeamSerializer, "受理并包案（包案人和 4+A 调解团队）")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(request, s.DisputeTeamSerializer, services.case_accept)

    @_step(s.DisputeTeamSerializer, "调整调解团队")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._run(request, s.DisputeTeamSerializer, services.case_assign)

    @_step(s.DisputeSessionInSerializer, "记录一次调解（时间、地点、到场人员、调解记录）")
    @action(detail=True, methods=["post"])
    def session(self, request, pk=None):
        return self._run(request, s.DisputeSessionInSerializer, services.case_session)

    @_step(s.DisputeReasonSerializer, "升级调处（网格 → 社区 → 街道）")
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._run(request, s.DisputeReasonSerializer, services.case_escalate)

    @_step(s.DisputeRiskSerializer, "风险等级、可能激化（通知社区和民警）")
    @action(detail=True, methods=["post"], url_path="flag-risk")
    def flag_risk(self, request, pk=None):
        return self._run(request, s.DisputeRiskSerializer, services.case_flag_risk)

    @_step(s.DisputeAgreeSerializer, "拟定调解协议（条款和履行期限）")
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        return self._run(request, s.DisputeAgreeSerializer, outcome.case_agree)

    @_step(s.DisputeSignSerializer, "协议签字（上传扫描件或确认纸质签字）")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._run(request, s.DisputeSignSerializer, outcome.case_sign)

    @_step(s.DisputeReferSerializer, "调解不成，移交司法所、诉讼、仲裁或职能部门")
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        return self._run(request, s.DisputeReferSerializer, services.case_refer)

    @_step(s.DisputeFollowUpSerializer, "跟踪回访一条协议条款")
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._run(request, s.DisputeFollowUpSerializer, outcome.case_follow_up)

    @_step(s.DisputeCloseSerializer, "结案（协议全部履行）")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(request, s.DisputeCloseSerializer, outcome.case_close)

    @_step(s.DisputeReopenSerializer, "协议未履行，重新调解")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._run(request, s.DisputeReopenSerializer, outcome.case_reopen)

    @_step(s.DisputeRateSerializer, "当事人评价调解结果")
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._run(request, s.DisputeRateSerializer, outcome.case_rate)

    @_step(s.DisputeReasonSerializer, "撤销案件")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(request, s.DisputeReasonSerializer, services.case_withdraw)


__all__ = ["CaseViewSet", "KindViewSet"]
