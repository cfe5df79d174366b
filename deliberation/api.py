"""REST API of deliberation: topics (and their steps, notices, decisions, tasks, feedback), meetings and votes.

The same services and scope as the pages. A transition not allowed now → 409 with the reason; bad fields → 400;
no right → 403; out of scope → 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.scope import Scope
from appeals.selectors import visible_appeals
from areas.models import Area, Building
from deliberation import implementation, meetings, services, voting
from deliberation import serializers as s
from deliberation.progress import steps_of
from deliberation.selectors import visible_meetings, visible_topics, visible_votes
from deliberation.tally import result_for
from linli import clock
from linli.errors import ValidationError

ERRORS = {400: None, 403: None, 404: None, 409: None}


def _found(qs: QuerySet, pk, field: str, label: str):
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: f"{label}不存在或不在您的范围内"})
    return obj


def _body(request, body_class: type[serializers.Serializer]) -> dict:
    body = body_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class TopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    def get_queryset(self):
        qs = visible_topics(Scope.of(self.request.user))
        status_ = self.request.query_params.get("status")
        return qs.filter(status=status_) if status_ else qs

    def get_serializer_class(self):
        return s.TopicDetailSerializer if self.action != "list" else s.TopicSerializer

    def _detail(self, topic_id: int) -> Response:
        topic = visible_topics(Scope.of(self.request.user)).get(pk=topic_id)
        ctx = {**self.get_serializer_context(), "steps": steps_of(topic, clock.now())}
        return Response(s.TopicDetailSerializer(topic, context=ctx).data)

    @extend_schema(responses=s.TopicDetailSerializer, summary="议题详情（含各步骤及当前步骤还缺什么）")
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object().pk)

    @extend_schema(
        request=s.TopicCreateSerializer,
        responses={201: s.TopicDetailSerializer, **ERRORS},
        summary="确定议题（或把诉求转为议题）",
    )
    def create(self, request):
        data = _body(request, s.TopicCreateSerializer)
        scope = Scope.of(request.user)
        if data.get("appeal"):
            appeal = _found(visible_appeals(scope), data["appeal"], "appeal", "诉求")
            topic = services.topic_from_appeal(
                user=request.user, appeal_id=appeal.pk, template_code=data["template"],
                title=data.get("title", ""), body=data.get("body", ""),
            )  # fmt: skip
        else:
            community = _found(scope.areas(), data.get("community"), "community", "社区")
            if community is None:
                raise ValidationError({"community": "请选择社区"})
            topic = services.topic_create(
                user=request.user, community=community, title=data.get("title", ""), body=data.get("body", ""),
                template_code=data["template"], building=_found(scope.buildings(), data.get("building"), "building", "楼栋"),
                affected_parties=data.get("affected_parties", ""),
            )  # fmt: skip
        response = self._detail(topic.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=s.TopicProposeSerializer,
        responses={201: s.TopicDetailSerializer, **ERRORS},
        summary="居民提议议题（为自己所在的社区）",
    )
    @action(detail=False, methods=["post"])
    def propose(self, request):
        data = _body(request, s.TopicProposeSerializer)
        community = None
        if data.get("community") is not None:
            community = Area.objects.filter(pk=data["community"], kind=Area.Kind.COMMUNITY).first()
            if community is None:
                raise ValidationError({"community": "社区不存在"})
        building = None
        if data.get("building") is not None:
            building = Building.objects.filter(pk=data["building"]).select_related("grid").first()
            if building is None:  # the same words as for a building not theirs: nothing to learn from ids
                raise ValidationError({"building": "只能选择您居住的楼栋"})
        topic = services.topic_propose(
            user=request.user, title=data["title"], body=data["body"], community=community, building=building
        )
        response = self._detail(topic.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=s.TopicAcceptSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="受理居民提议（选择议事流程）",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        topic = self.get_object()
        data = _body(request, s.TopicAcceptSerializer)
        services.topic_accept(user=request.user, topic_id=topic.pk, template_code=data["template"])
        return self._detail(topic.pk)

    @extend_schema(
        request=s.TopicReasonSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="不予受理居民提议（说明原因，提议人会收到通知）",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._run(request, s.TopicReasonSerializer, services.topic_decline)

    def _run(self, request, body_class, service: Callable, **extra) -> Response:
        topic = self.get_object()
        data = _body(request, body_class) if body_class else {}
        service(user=request.user, topic_id=topic.pk, **data, **extra)
        return self._detail(topic.pk)

    @extend_schema(
        request=s.TopicNoteSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="完成当前步骤，进入下一步（缺什么就说什么）",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._run(request, s.TopicNoteSerializer, services.topic_advance)

    @extend_schema(
        request=s.TopicReasonSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="终止议题",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(request, s.TopicReasonSerializer, services.topic_close)

    @extend_schema(
        request=s.TopicNoticeSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="发布议题公示或结果公示",
    )
    @action(detail=True, methods=["post"])
    def notices(self, request, pk=None):
        return self._run(request, s.TopicNoticeSerializer, services.topic_publish_notice)

    @extend_schema(
        request=s.DecisionBodySerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="记录决议",
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        data = _body(request, s.DecisionBodySerializer)
        implementation.decision_record(
            user=request.user, topic_id=self.get_object().pk, text_=data["text"], adopted=data["adopted"]
        )
        return self._detail(int(pk))

    @extend_schema(
        request=s.TaskBodySerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="安排实施任务（任务或转为诉求派单）",
    )
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        topic = self.get_object()
        data = _body(request, s.TaskBodySerializer)
        scope = Scope.of(request.user)
        if data["kind"] == "appeal":
            implementation.task_add_appeal(
                user=request.user, topic_id=topic.pk, title=data["title"], body=data["body"] or data["title"]
            )
        else:
            implementation.task_add(
                user=request.user, topic_id=topic.pk, title=data["title"], due=data.get("due"),
                owner=_found(scope.persons(), data.get("owner"), "owner", "负责人"),
                unit=_found(scope.units(), data.get("unit"), "unit", "单位"),
            )  # fmt: skip
        return self._detail(topic.pk)

    @extend_schema(
        request=s.TaskFinishSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="登记任务完成或取消",
    )
    @action(detail=True, methods=["post"], url_path="task-finish")
    def task_finish(self, request, pk=None):
        topic = self.get_object()
        data = _body(request, s.TaskFinishSerializer)
        if not topic.tasks.filter(pk=data["task"]).exists():
            raise ValidationError({"task": "该议题没有这项任务"})
        implementation.task_finish(
            user=request.user, task_id=data["task"], report=data["report"], cancelled=data["cancelled"]
        )
        return self._detail(topic.pk)

    @extend_schema(
        request=s.FeedbackSerializer, responses={200: s.TopicDetailSerializer, **ERRORS}, summary="反馈情况"
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._run(request, s.FeedbackSerializer, implementation.feedback_report)

    @extend_schema(
        request=s.EvaluateSerializer,
        responses={200: s.TopicDetailSerializer, **ERRORS},
        summary="群众评议（满意 / 基本满意 / 不满意）",
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self._run(request, s.EvaluateSerializer, implementation.topic_evaluate)

    @extend_schema(responses=s.TopicEventSerializer(many=True), summary="议题时间线")
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        return Response(s.TopicEventSerializer(self.get_object().events.all(), many=True).data)


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MeetingSerializer

    def get_queryset(self):
        return visible_meetings(Scope.of(self.request.user)).prefetch_related("participants")

    def _detail(self, pk: int) -> Response:
        return Response(s.MeetingSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        request=s.MeetingCreateSerializer,
        responses={201: s.MeetingSerializer, **ERRORS},
        summary="安排议事会议",
    )
    def create(self, request):
        data = _body(request, s.MeetingCreateSerializer)
        scope = Scope.of(request.user)
        topic = _found(visible_topics(scope), data["topic"], "topic", "议题")
        convenor = _found(scope.persons(), data["convenor"], "convenor", "牵头人")
        meeting = meetings.meeting_schedule(
            user=request.user, topic_id=topic.pk, form=data["form"], title=data["title"], place=data["place"],
            starts_at=data["starts_at"], convenor=convenor,
        )  # fmt: skip
        response = self._detail(meeting.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        request=s.InviteSerializer,
        responses={200: s.MeetingSerializer, **ERRORS},
        summary="邀请参会人（1+6+X）",
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        meeting = self.get_object()
        data = _body(request, s.InviteSerializer)
        scope = Scope.of(request.user)
        meetings.meeting_invite(
            user=request.user, meeting_id=meeting.pk, party=data["party"], name=data["name"],
            person=_found(scope.persons(), data.get("person"), "person", "人员"),
            unit=_found(scope.units(), data.get("unit"), "unit", "单位"),
        )  # fmt: skip
        return self._detail(meeting.pk)

    @extend_schema(
        request=s.AttendanceSerializer, responses={200: s.MeetingSerializer, **ERRORS}, summary="记录签到"
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        data = _body(request, s.AttendanceSerializer)
        meetings.meeting_record_attendance(
            user=request.user, meeting_id=self.get_object().pk, attended_ids=data["attended"]
        )
        return self._detail(int(pk))

    @extend_schema(
        request=s.MinutesSerializer,
        responses={200: s.MeetingSerializer, **ERRORS},
        summary="记录会议纪要（和决议）",
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        data = _body(request, s.MinutesSerializer)
        meetings.meeting_record_minutes(user=request.user, meeting_id=self.get_object().pk, **data)
        return self._detail(int(pk))

    @extend_schema(
        request=s.TopicReasonSerializer, responses={200: s.MeetingSerializer, **ERRORS}, summary="取消会议"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = _body(request, s.TopicReasonSerializer)
        meetings.meeting_cancel(user=request.user, meeting_id=self.get_object().pk, **data)
        return self._detail(int(pk))


class VoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.VoteSerializer

    def get_queryset(self):
        return visible_votes(Scope.of(self.request.user)).prefetch_related("options", "buildings")

    @extend_schema(
        request=s.VoteCreateSerializer,
        responses={201: s.VoteSerializer, **ERRORS},
        summary="发起表决（只在议题的表决步骤：六步流程的“开展协商”、五议工作法的“会议决议”；否则 409）",
    )
    def create(self, request):
        data = _body(request, s.VoteCreateSerializer)
        scope = Scope.of(request.user)
        topic = _found(visible_topics(scope), data.pop("topic"), "topic", "议题")
        ids = data.pop("buildings")
        buildings = list(scope.buildings().filter(pk__in=ids).select_related("grid"))
        if len(buildings) != len(set(ids)):
            raise ValidationError({"buildings": "有楼栋不存在或不在您的范围内"})
        vote = voting.vote_open(user=request.user, topic_id=topic.pk, buildings=buildings, **data)
        return Response(
            s.VoteSerializer(self.get_queryset().get(pk=vote.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=s.BallotSerializer,
        responses={201: s.BallotReceiptSerializer, **ERRORS},
        summary="投票（居民在线投票；工作人员录入纸质选票）",
    )
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None):
        vote = self.get_object()
        data = _body(request, s.BallotSerializer)
        if data["paper"]:
            if data.get("household") is None:
                raise ValidationError({"household": "纸质选票须指明是哪一户"})
            household = _found(Scope.of(request.user).households(), data["household"], "household", "户")
            ballot = voting.vote_enter_paper(
                user=request.user,
                vote_id=vote.pk,
                household=household,
                option_id=data["option"],
                person_id=data.get("person"),
            )
        else:
            ballot = voting.vote_cast(
                user=request.user,
                vote_id=vote.pk,
                option_id=data["option"],
                household_id=data.get("household"),
            )
        return Response(
            {"id": ballot.pk, "channel": ballot.channel, "cast_at": ballot.cast_at},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses=s.VoteResultSerializer,
        summary="表决结果与民法典第二百七十八条各项门槛（不记名投票截止前隐藏）",
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        return Response(result_for(self.get_object(), clock.now()))

    @extend_schema(
        request=None, responses={200: s.VoteSerializer, **ERRORS}, summary="截止后结束表决、计票并形成决议"
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        voting.vote_close(user=request.user, vote_id=self.get_object().pk)
        return Response(s.VoteSerializer(self.get_queryset().get(pk=pk)).data)
