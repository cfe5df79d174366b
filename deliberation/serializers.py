"""API shapes of topics, meetings and votes, and the bodies of their actions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from deliberation.models import (
    Decision,
    ImplementationTask,
    Meeting,
    Participant,
    Party,
    Satisfaction,
    Topic,
    TopicEvent,
    Vote,
    VoteOption,
)


class TopicSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)
    template_code = serializers.CharField(
        source="template.code", read_only=True, default=None, allow_null=True
    )
    current_step_name = serializers.CharField(
        source="current_step.name", read_only=True, default=None, allow_null=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id", "title", "body", "community", "community_code", "building", "affected_parties", "source", "appeal",
            "template_code", "status", "status_label", "current_step_name", "created_at", "published_at",
            "finished_at", "closed_reason",
        ]  # fmt: skip
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    requires = serializers.ListField(child=serializers.CharField())
    state = serializers.ChoiceField(choices=["done", "current", "waiting"])
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="当前步骤进入下一步前还缺什么")


class TopicDetailSerializer(TopicSerializer):
    steps = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "steps", "decisions", "tasks"]
        read_only_fields = fields

    def get_steps(self, topic) -> Any:
        return StepSerializer(self.context["steps"], many=True).data if "steps" in self.context else []

    def get_decisions(self, topic) -> Any:
        return DecisionSerializer(topic.decisions.all(), many=True).data

    def get_tasks(self, topic) -> Any:
        return TaskSerializer(topic.tasks.select_related("appeal", "owner", "unit"), many=True).data


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "adopted", "decided_at", "meeting", "vote"]


class TaskSerializer(serializers.ModelSerializer):
    finished = serializers.BooleanField(source="is_finished", read_only=True)

    class Meta:
        model = ImplementationTask
        fields = [
            "id",
            "kind",
            "title",
            "owner",
            "unit",
            "appeal",
            "due",
            "status",
            "report",
            "finished",
            "finished_at",
        ]


class TopicEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TopicEvent
        fields = ["at", "action", "step", "from_status", "to_status", "note"]


class TopicCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField(required=False, help_text="社区 id（从诉求转议题时可省略）")
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    template = serializers.ChoiceField(choices=["146", "5yi"], default="146")
    building = serializers.IntegerField(required=False, allow_null=True)
    affected_parties = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    appeal = serializers.IntegerField(required=False, allow_null=True, help_text="把这条诉求转为议题")


class TopicProposeSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    building = serializers.IntegerField(
        required=False, allow_null=True, help_text="涉及的楼栋 id（选填，须是您居住的楼栋）"
    )
    community = serializers.IntegerField(
        required=False, allow_null=True, help_text="社区 id（选填；默认您所在的社区）"
    )


class TopicAcceptSerializer(serializers.Serializer):
    template = serializers.ChoiceField(
        choices=[("146", "六步流程（146 机制）"), ("5yi", "五议工作法")],
        default="146",
        help_text="议事流程：146 六步流程，5yi 五议工作法",
    )


class TopicNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TopicReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class TopicNoticeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["topic", "result"])
    body = serializers.CharField(max_length=10000)
    days = serializers.IntegerField(min_value=1, max_value=90, default=7)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class DecisionBodySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=3000)
    adopted = serializers.BooleanField(default=True)


class TaskBodySerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ImplementationTask.Kind.choices, default="task")
    owner = serializers.IntegerField(required=False, allow_null=True, help_text="负责人（人员 id）")
    unit = serializers.IntegerField(required=False, allow_null=True, help_text="负责单位 id")
    due = serializers.DateField(required=False, allow_null=True)
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TaskFinishSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    report = serializers.CharField(max_length=3000)
    cancelled = serializers.BooleanField(default=False)


class FeedbackSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class EvaluateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# ---- meetings ----
class ParticipantSerializer(serializers.ModelSerializer):
    party_label = serializers.CharField(source="get_party_display", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "party", "party_label", "name", "person", "unit", "attended"]


class MeetingSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "topic",
            "form",
            "title",
            "place",
            "starts_at",
            "status",
            "minutes",
            "minutes_at",
            "participants",
        ]
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    form = serializers.ChoiceField(choices=Meeting.Form.choices)
    title = serializers.CharField(max_length=120)
    place = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    convenor = serializers.IntegerField(help_text="牵头人（党组织书记）的人员 id")


class InviteSerializer(serializers.Serializer):
    party = serializers.ChoiceField(choices=Party.choices)
    person = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(child=serializers.IntegerField(), help_text="到会参会人的 id")


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=10000)
    decision = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")


# ---- votes ----
class VoteOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoteOption
        fields = ["id", "label", "is_approval"]


class VoteSerializer(serializers.ModelSerializer):
    options = VoteOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id", "topic", "title", "question", "electorate", "buildings", "one_per_household", "matter", "secret",
            "opens_at", "closes_at", "status", "closed_at", "options",
        ]  # fmt: skip
        read_only_fields = fields


class VoteCreateSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    title = serializers.CharField(max_length=120)
    question = serializers.CharField(max_length=3000)
    electorate = serializers.ChoiceField(choices=Vote.Electorate.choices)
    buildings = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    one_per_household = serializers.BooleanField(default=True)
    matter = serializers.ChoiceField(
        choices=Vote.Matter.choices, required=False, default="", allow_blank=True
    )
    secret = serializers.BooleanField(default=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    options = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    approval_index = serializers.IntegerField(required=False, allow_null=True, default=0)


class BallotSerializer(serializers.Serializer):
    option = serializers.IntegerField()
    household = serializers.IntegerField(
        required=False, allow_null=True, help_text="代表哪一户（有多处房屋时）"
    )
    paper = serializers.BooleanField(default=False, help_text="工作人员录入纸质选票")
    person = serializers.IntegerField(
        required=False, allow_null=True, help_text="纸质票：投票人（每人一票时必填）"
    )


class BallotReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    cast_at = serializers.DateTimeField()


class ThresholdSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    rule = serializers.CharField()
    unit = serializers.CharField()
    actual = serializers.CharField()
    base = serializers.CharField()
    required = serializers.CharField(help_text="达到门槛的最小户数、票数或面积")  # type: ignore[assignment]
    met = serializers.BooleanField()
    margin = serializers.CharField(help_text="已有的减去须达到的（0 为恰好达到，负数为还差多少）")
    whole = serializers.CharField(
        required=False, help_text="比较的总数：总面积、总户数、参与表决面积、参与表决户数、有效票"
    )
    doing = serializers.CharField(required=False, help_text="参与表决 或 同意")
    part = serializers.CharField(required=False, help_text="三分之二、一半、四分之三")
    compare = serializers.CharField(
        required=False, help_text="不少于（以上，含本数）或 超过（过半数，不含一半）"
    )
    word = serializers.CharField(required=False, help_text="民法典的说法：三分之二以上、过半数、四分之三以上")
    sentence = serializers.CharField()


class OutcomeSerializer(serializers.Serializer):
    rule = serializers.CharField()
    quorum_met = serializers.BooleanField()
    passed = serializers.BooleanField()
    thresholds = ThresholdSerializer(many=True)
    summary = serializers.CharField()


class VoteResultSerializer(serializers.Serializer):
    final = serializers.BooleanField()
    hidden = serializers.BooleanField(help_text="不记名投票截止前不公布结果")
    rule = serializers.CharField()
    electorate = serializers.CharField()
    ballots = serializers.IntegerField(help_text="已投票")
    by = serializers.CharField(required=False, help_text="按户（每户一票）或按人计")
    eligible = serializers.IntegerField(required=False, help_text="可投票 = 已投票 + 未投票")
    not_voted = serializers.IntegerField(required=False, help_text="未投票（工作人员可为其录入纸质选票）")
    total_area = serializers.CharField(required=False)
    total_households = serializers.IntegerField(required=False)
    voted_area = serializers.CharField(required=False)
    paper_ballots = serializers.IntegerField(required=False)
    options = serializers.ListField(child=serializers.DictField(), required=False)
    outcome = OutcomeSerializer(required=False, allow_null=True)
    message = serializers.CharField(required=False)
