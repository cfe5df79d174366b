"""REST API of the appeal loop: the same services and scope as the pages.

Refusals: a transition not allowed now → 409; bad fields → 400 with field messages; no right → 403;
out of scope → 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.scope import Scope
from appeals import serializers as s
from appeals import services, whistle
from appeals.filters import QueueFilterSerializer, queue_filters
from appeals.models import WhistlePart
from appeals.selectors import queue, visible_appeals
from appeals.timeline import describe_actors, visible_events
from linli.api import REFUSALS
from linli.inputs import JSONParser

# The detail's parts, its allowed actions and the actor read the whistle parts: one query for all of them.
PARTS = Prefetch("whistle_parts", queryset=WhistlePart.objects.select_related("unit"))
ERROR_RESPONSES = {code: REFUSALS[code] for code in (400, 403, 404, 409)}


def _action_schema(body: type[serializers.Serializer] | None, summary: str):
    return extend_schema(
        request=body, responses={200: s.AppealDetailSerializer, **ERROR_RESPONSES}, summary=summary
    )


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_throttles(self):
        """Intake is throttled per user (settings: LINLI_INTAKE_RATE); reading and acting on appeals are not."""
        self.throttle_scope = "intake" if self.action == "create" else ""
        return super().get_throttles()

    def get_queryset(self):
        scope = Scope.of(self.request.user)
        if self.action == "list":
            return queue(scope, queue_filters(self.request.query_params))
        appeals = visible_appeals(scope).select_related("category", "community", "grid", "unit", "raised_by")
        return appeals.prefetch_related(PARTS) if self.action == "retrieve" else appeals

    def get_serializer_class(self):
        return s.AppealListSerializer if self.action == "list" else s.AppealDetailSerializer

    @extend_schema(
        parameters=[QueueFilterSerializer],
        responses={200: s.AppealListSerializer(many=True), 400: REFUSALS[400]},
        summary="诉求列表（工作队列）",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=s.AppealCreateSerializer,
        responses={201: s.AppealCreatedSerializer, 400: REFUSALS[400], 403: REFUSALS[403]},
        summary="点单：提交诉求",
    )
    def create(self, request):
        body = s.AppealCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.appeal_submit(
            user=request.user, photos=request.FILES.getlist("photos"), **body.validated_data
        )
        return Response({"id": appeal.pk, "status": appeal.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=s.AppealEventSerializer(many=True),
        summary="诉求时间线（居民只看到本诉求的办理步骤，不含督办、超时等内部记录）",
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole timeline, as a plain list
    def events(self, request, pk=None):
        appeal = self.get_object()
        events = visible_events(Scope.of(request.user), appeal)
        actors = describe_actors(e.actor_id for e in events)
        return Response(s.AppealEventSerializer(events, many=True, context={"actors": actors}).data)

    # ---- actions: each validates its body, then calls its one service function ----
    def _run(self, request, body_class, service: Callable, **extra):
        appeal = self.get_object()
        data = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        service(user=request.user, appeal_id=appeal.pk, **data, **extra)
        fresh = self.get_queryset().prefetch_related(PARTS).get(pk=appeal.pk)
        return Response(s.AppealDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @_action_schema(s.TriageSerializer, "分类：回复解释、转交办理、受理自办")
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        return self._run(request, s.TriageSerializer, services.appeal_triage)

    @_action_schema(s.DispatchSerializer, "派单")
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_unit(self, request, pk=None):  # not ``dispatch``: that name is the view's own entry point
        return self._run(request, s.DispatchSerializer, services.appeal_dispatch)

    @_action_schema(s.OptionalNoteSerializer, "接单")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(request, s.OptionalNoteSerializer, services.appeal_accept)

    @_action_schema(s.ReasonSerializer, "退回")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._run(request, s.ReasonSerializer, services.appeal_return)

    @_action_schema(s.NoteSerializer, "办理进展")
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._run(request, s.NoteSerializer, services.appeal_progress)

    @_action_schema(s.ReportSerializer, "办结")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._run(
            request, s.ReportSerializer, services.appeal_complete, photos=request.FILES.getlist("photos")
        )

    @_action_schema(s.RateSerializer, "评单")
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._run(request, s.RateSerializer, services.appeal_rate)

    @_action_schema(s.ReasonSerializer, "重新办理")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._run(request, s.ReasonSerializer, services.appeal_reopen)

    @_action_schema(s.OptionalReasonSerializer, "撤回")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._run(request, s.OptionalReasonSerializer, services.appeal_withdraw)

    @_action_schema(s.WhistleSerializer, "吹哨：召集多个单位报到")
    @action(detail=True, methods=["post"])
    def whistle(self, request, pk=None):
        return self._run(request, s.WhistleSerializer, whistle.appeal_whistle)

    @_action_schema(s.OptionalNoteSerializer, "报到（被召集单位）")
    @action(detail=True, methods=["post"], url_path="report-in")
    def report_in(self, request, pk=None):
        return self._run(request, s.OptionalNoteSerializer, whistle.whistle_report_in)

    @_action_schema(s.ReportSerializer, "完成本单位任务（被召集单位）")
    @action(detail=True, methods=["post"], url_path="part-done")
    def part_done(self, request, pk=None):
        return self._run(request, s.ReportSerializer, whistle.whistle_part_done)

    @_action_schema(s.ReleaseSerializer, "解除某单位的报到")
    @action(detail=True, methods=["post"], url_path="release")
    def release(self, request, pk=None):
        return self._run(request, s.ReleaseSerializer, whistle.whistle_release)

    @_action_schema(s.MergeSerializer, "合并重复诉求")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self._run(request, s.MergeSerializer, services.appeal_merge)

    @_action_schema(s.LogTimeSerializer, "记录服务时长（服务单）")
    @action(detail=True, methods=["post"], url_path="log-time")
    def log_time(self, request, pk=None):
        return self._run(request, s.LogTimeSerializer, services.appeal_log_time)

    @_action_schema(s.NoteSerializer, "督办")
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        return self._run(request, s.NoteSerializer, services.appeal_supervise)
