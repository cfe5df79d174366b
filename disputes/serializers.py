"""API shapes of dispute cases: what is read (parties and statements only for those who may see them), what is
registered, and the body of each step."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from areas.models import Area, Building
from audit.access_log import reveal_parties
from disputes.models import (
    Agreement,
    Case,
    CaseEvent,
    DisputeKind,
    Member,
    Party,
    Referral,
    Risk,
    Satisfaction,
    Session,
    Source,
    Term,
)
from disputes.scope import Actor
from disputes.selectors import current_agreement
from people.models import Person


class DisputeKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisputeKind
        fields = ["id", "code", "name", "working_days"]


class DisputeCaseListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None, allow_null=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "title", "kind", "kind_name", "source", "status", "status_label",
            "community", "community_name", "grid", "grid_name", "level", "level_label", "risk", "may_escalate",
            "registered_at", "accepted_at", "due_at", "overdue", "agreed_at", "closed_at", "referral",
            "reopen_count",
        ]  # fmt: skip


class DisputePartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = [
            "id", "side", "person", "name", "phone", "address", "statement",
            "satisfaction", "rating_comment", "rated_at", "rated_by_staff",
        ]  # fmt: skip


class DisputeMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "person", "name", "duty"]


class DisputeSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "held_at", "place", "members", "parties", "others", "notes"]


class DisputeTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "text", "due_on", "state", "kept_on"]


class DisputeAgreementSerializer(serializers.ModelSerializer):
    terms = DisputeTermSerializer(many=True, read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "text", "made_at", "signed_at", "paper_signed", "has_scan", "broken_at", "terms"]

    def get_has_scan(self, obj: Agreement) -> bool:
        return bool(obj.scan)


class DisputeCaseDetailSerializer(DisputeCaseListSerializer):
    """The case; its parties, team, sessions and agreement only for those who may see them (``Actor``)."""

    summary = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DisputeCaseListSerializer.Meta):
        fields = DisputeCaseListSerializer.Meta.fields + [
            "summary", "place", "appeal", "referred_by", "referral_note", "owner",
            "parties", "members", "sessions", "agreement", "allowed_actions",
        ]  # fmt: skip

    def _actor(self) -> Actor:
        return self.context["actor"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_summary(self, obj: Case) -> str | None:
        return obj.summary if self._actor().sees_parties else None

    @extend_schema_field(DisputePartySerializer(many=True))
    def get_parties(self, obj: Case) -> list[dict[str, Any]]:
        actor = self._actor()
        if not actor.sees_parties:
            return []
        parties = list(obj.parties.all())
        rows = list(DisputePartySerializer(parties, many=True).data)
        if not actor.worker:  # a party reads the others' names, not what they said nor their phones
            for row in rows:
                if row["id"] not in actor.party_ids:
                    row["statement"], row["phone"] = "", ""
        reveal_parties(user=self.context["request"].user, shown=list(zip(parties, rows, strict=True)))
        return rows

    @extend_schema_field(DisputeMemberSerializer(many=True))
    def get_members(self, obj: Case) -> list[dict[str, Any]]:
        if not self._actor().sees_parties:
            return []
        return list(DisputeMemberSerializer(obj.members.select_related("person"), many=True).data)

    @extend_schema_field(DisputeSessionSerializer(many=True))
    def get_sessions(self, obj: Case) -> list[dict[str, Any]]:
        return (
            list(DisputeSessionSerializer(obj.sessions.all(), many=True).data) if self._actor().worker else []
        )

    @extend_schema_field(DisputeAgreementSerializer(allow_null=True))
    def get_agreement(self, obj: Case) -> dict[str, Any] | None:
        agreement = current_agreement(obj)
        if agreement is None or not self._actor().sees_parties:
            return None
        return DisputeAgreementSerializer(agreement).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: Case) -> list[str]:
        return self.context.get("allowed", [])


class DisputeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["at", "action", "from_status", "to_status", "note"]


# ---- bodies ------------------------------------------------------------------------------------------------
class DisputePartyInSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=Party.Side.choices, default=Party.Side.APPLICANT)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    name = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    household = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    address = serializers.CharField(required=False, allow_blank=True, max_length=160, default="")
    statement = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class DisputeRegisterSerializer(serializers.Serializer):
    kind = serializers.PrimaryKeyRelatedField(queryset=DisputeKind.objects.filter(active=True))
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=5000)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[c for c in Source.choices if c[0] != Source.APPEAL]
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.COMMUNITY), required=False, allow_null=True, default=None
    )
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.GRID), required=False, allow_null=True, default=None
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True, default=None
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    risk = serializers.ChoiceField(choices=Risk.choices, default=Risk.LOW)
    may_escalate = serializers.BooleanField(default=False)
    referred_by = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    parties = DisputePartyInSerializer(many=True, allow_empty=False, max_length=10)  # type: ignore[call-arg]


class DisputeConvertSerializer(serializers.Serializer):
    appeal = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    kind = serializers.PrimaryKeyRelatedField(queryset=DisputeKind.objects.filter(active=True))
    respondent = DisputePartyInSerializer()
    risk = serializers.ChoiceField(choices=Risk.choices, default=Risk.LOW)


class DisputeTeamMemberSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    duty = serializers.ChoiceField(choices=Member.Duty.choices)


class DisputeTeamSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    members = DisputeTeamMemberSerializer(many=True, allow_empty=False, max_length=20)  # type: ignore[call-arg]
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def to_service(self, data: dict) -> dict:
        return {
            "owner": data["owner"],
            "members": [(m["person"], m["duty"]) for m in data["members"]],
            "note": data.get("note", ""),
        }


class DisputeSessionInSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=120)
    notes = serializers.CharField(max_length=5000)
    member_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=30
    )
    party_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=10, default=list
    )
    others = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class DisputeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DisputeRiskSerializer(serializers.Serializer):
    risk = serializers.ChoiceField(choices=Risk.choices)
    may_escalate = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class DisputeTermInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class DisputeAgreeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    terms = DisputeTermInSerializer(many=True, allow_empty=False, max_length=20)  # type: ignore[call-arg]

    def to_service(self, data: dict) -> dict:
        return {"text": data["text"], "terms": [(t["text"], t["due_on"]) for t in data["terms"]]}


class DisputeSignSerializer(serializers.Serializer):
    scan = serializers.FileField(required=False, allow_null=True, default=None)
    paper_signed = serializers.BooleanField(default=False)


class DisputeReferSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Referral.choices)
    note = serializers.CharField(max_length=2000)


class DisputeFollowUpSerializer(serializers.Serializer):
    term_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    result = serializers.ChoiceField(choices=Term.State.choices)
    note = serializers.CharField(max_length=2000)
    kept_on = serializers.DateField(required=False, allow_null=True, default=None)


class DisputeCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DisputeReopenSerializer(serializers.Serializer):
    term_id = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    reason = serializers.CharField(max_length=2000)


class DisputeRateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    party_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, default=None
    )


class DisputeBoardFilterSerializer(serializers.Serializer):
    state = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    area = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, default=None
    )
    kind = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1, default=None
    )
    overdue = serializers.BooleanField(required=False, default=False)
    risk = serializers.BooleanField(required=False, default=False)
