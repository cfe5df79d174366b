from __future__ import annotations

from rest_framework import serializers

from notices.models import Notice, Objection


class ObjectionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="public_name", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "name", "body", "raised_at", "answer", "answered_at"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id", "community", "community_code", "kind", "title", "body", "subject_type", "subject_id",
            "starts_at", "ends_at", "status",
        ]  # fmt: skip
        read_only_fields = fields


class NoticeCreateSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notice.Kind.choices)
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=10000)
    days = serializers.IntegerField(min_value=1, max_value=90, default=7)


class ObjectionCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    answer = serializers.CharField(max_length=2000)


class NoticeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
