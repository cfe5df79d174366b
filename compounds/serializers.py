"""The shapes of the 小区 API: a compound with its buildings, bodies in office and members, and the firm's current
rating with its fractions; the bodies of the steps."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from compounds.figures import Score
from compounds.models import CRITERIA, Body, Compound, Election, Member
from compounds.selectors import Overview

MAX_ID = 2**31 - 1


def _id(**kw) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kw)


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    post_label = serializers.CharField(source="get_post_display")

    class Meta:
        model = Member
        fields = ["id", "person", "name", "post", "post_label", "starts_on", "ends_on", "votes"]


class BodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    firm_name = serializers.CharField(source="firm.name", default=None)
    party_org_name = serializers.CharField(source="party_org.name", default=None)
    is_red = serializers.BooleanField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = [
            "id",
            "kind",
            "kind_label",
            "term_no",
            "firm",
            "firm_name",
            "party_org",
            "party_org_name",
            "is_red",
            "starts_on",
            "ends_on",
            "status",
            "election",
            "members",
        ]

    def get_members(self, body) -> list[dict[str, Any]]:
        rows = getattr(body, "current_members", None)
        if rows is None:
            rows = body.members.filter(left_at__isnull=True).select_related("person")
        return list(MemberSerializer(rows, many=True).data)


def score_dict(score: Score) -> dict[str, Any]:
    return {
        "ratings": score.n,
        "stars": score.stars,
        "most": score.rate.denominator,
        "rate": str(score.rate.value) if score.rate.value is not None else None,
        "display": str(score.rate),
        "means": {field: score.mean(field) for field, _ in CRITERIA},
        "colour": score.colour[1] if score.colour else None,
    }


class CompoundSerializer(serializers.Serializer):
    """A compound as ``compounds.selectors.Overview`` reads it."""

    def to_representation(self, o: Overview) -> dict[str, Any]:
        c = o.compound
        r = o.rating
        return {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "kind_label": c.get_kind_display(),
            "address": c.address,
            "community": c.community_id,
            "community_name": c.community.name,
            "buildings": [
                {"id": b.pk, "code": b.code, "name": b.name, "grid": b.grid_id} for b in o.buildings
            ],
            "grids": [g.pk for g in o.grids],
            "bodies": BodySerializer(list(o.bodies.values()), many=True).data,
            "rating": None
            if r is None
            else {
                "quarter": r.label,
                "year": r.year,
                "quarter_no": r.quarter,
                "residents": score_dict(r.residents),
                "community": score_dict(r.community),
            },
        }


class CompoundCreateSerializer(serializers.Serializer):
    community = _id()
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Compound.Kind.choices)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    buildings = serializers.ListField(child=_id(), required=False, default=list)


class BuildingsSerializer(serializers.Serializer):
    buildings = serializers.ListField(child=_id(), allow_empty=True)


class BodyCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Body.Kind.SELF_MANAGEMENT, Body.Kind.OWNERS_COMMITTEE])
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class FirmSerializer(serializers.Serializer):
    firm = _id()
    party_org = _id(required=False, allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class MemberAddSerializer(serializers.Serializer):
    body = _id()
    person = _id()
    post = serializers.ChoiceField(choices=Member.Post.choices)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class MemberRemoveSerializer(ReasonSerializer):
    member = _id()


class BodyEndSerializer(ReasonSerializer):
    body = _id()


class ScoresSerializer(serializers.Serializer):
    sanitation = serializers.IntegerField(min_value=1, max_value=5, help_text="环境卫生 1–5 星")
    repairs = serializers.IntegerField(min_value=1, max_value=5, help_text="设施维修 1–5 星")
    security = serializers.IntegerField(min_value=1, max_value=5, help_text="安全秩序 1–5 星")
    attitude = serializers.IntegerField(min_value=1, max_value=5, help_text="服务态度 1–5 星")
    party = serializers.IntegerField(min_value=1, max_value=5, help_text="党建引领 1–5 星")
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    rater = serializers.CharField()
    total = serializers.IntegerField()


class ElectionCreateSerializer(serializers.Serializer):
    seats = serializers.IntegerField(min_value=1, max_value=15)
    term_years = serializers.IntegerField(min_value=1, max_value=5, default=5)
    days = serializers.IntegerField(min_value=3, max_value=30, default=7)
    candidates = serializers.ListField(child=_id(), allow_empty=False)


class ElectionStepSerializer(serializers.Serializer):
    election = _id()
    step = serializers.ChoiceField(choices=["open", "close", "cancel"])
    closes_at = serializers.DateTimeField(required=False, help_text="开始投票时必填：投票截止时间")
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class CandidateSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    votes = serializers.IntegerField(allow_null=True)
    elected = serializers.BooleanField()


class ElectionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    candidates = CandidateSerializer(many=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "term_no",
            "seats",
            "term_years",
            "status",
            "status_label",
            "topic",
            "vote",
            "result_note",
            "candidates",
            "created_at",
            "closed_at",
        ]
