"""API shapes of appeals: what is read, what is submitted, and the body of each action."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from access.scope import Scope
from appeals.contacts import raiser_contacts, reveal_places
from appeals.models import Appeal, AppealEvent, Channel, Satisfaction, Status, TriageKind, WhistlePart
from appeals.selectors import ANONYMOUS_NAME, raiser_hidden
from appeals.timeline import SYSTEM, Who, describe_actors
from appeals.workflow import ACTION_LABELS, actor_for, allowed_actions
from areas.models import Area, Building
from categories.models import Category
from linli.api import DecidedForTheLot, ForTheLot
from people.models import Person
from streets.models import Street
from units.models import Unit


class WhistlePartSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = WhistlePart
        fields = [
            "unit",
            "unit_name",
            "status",
            "task",
            "report_due",
            "reported_at",
            "done_at",
            "report",
            "overdue",
        ]


class AppealListSerializer(DecidedForTheLot, serializers.ModelSerializer):
    """A list of appeals shows each one's place (building, address): logged for the lot in one insert."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_name = serializers.CharField(
        source="category.name", read_only=True, default=None, allow_null=True
    )
    community_name = serializers.CharField(source="community.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default=None, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Appeal
        list_serializer_class: type[serializers.ListSerializer] = ForTheLot
        fields = [
            "id",
            "title",
            "status",
            "status_label",
            "category",
            "category_name",
            "community",
            "community_name",
            "grid",
            "grid_name",
            "building",
            "address",
            "channel",
            "triage_kind",
            "level",
            "unit",
            "unit_name",
            "submitted_at",
            "dispatched_at",
            "contact_due",
            "resolve_due",
            "accepted_at",
            "completed_at",
            "closed_at",
            "contact_overdue",
            "resolve_overdue",
            "is_overdue",
            "reopen_count",
            "satisfaction",
            "resolved",
            "merged_into",
        ]

    def for_lot(self, appeals: list[Appeal]) -> None:
        reveal_places(Scope.of(self.context["request"].user), appeals)


class AppealDetailSerializer(AppealListSerializer):
    raised_by_name = serializers.SerializerMethodField()
    raised_by_phone = serializers.SerializerMethodField()
    whistle_parts = WhistlePartSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    street_name = serializers.CharField(source="street.name", read_only=True, default=None, allow_null=True)
    _raiser_phones: dict[int, str]  # by appeal, decided in ``for_lot``

    class Meta(AppealListSerializer.Meta):
        fields = [
            *AppealListSerializer.Meta.fields,
            "street",
            "street_name",
            "body",
            "is_anonymous",
            "raised_by_name",
            "raised_by_phone",
            "answer",
            "report",
            "rating_comment",
            "rated_at",
            "supervised_at",
            "whistle_parts",
            "allowed_actions",
        ]

    def _scope(self) -> Scope:
        return Scope.of(self.context["request"].user)

    def for_lot(self, appeals: list[Appeal]) -> None:
        """Their raisers' phones decided, and what is shown in full logged, once for the lot
        (``appeals.contacts.raiser_contacts``: the places too)."""
        self._raiser_phones = raiser_contacts(self._scope(), appeals)

    @extend_schema_field(serializers.CharField())
    def get_raised_by_name(self, appeal: Appeal) -> str:
        scope = self._scope()
        if raiser_hidden(scope, appeal):
            return ANONYMOUS_NAME
        if scope.is_staff_like or actor_for(scope, appeal).raiser:
            return appeal.raised_by.name
        return appeal.public_name

    @extend_schema_field(serializers.CharField())
    def get_raised_by_phone(self, appeal: Appeal) -> str:
        """The handling unit and the dispatchers need the number to call back; others see it masked; an anonymous
        appeal's raiser may be hidden (``appeals.contacts.raiser_phones``, decided in ``for_lot``)."""
        return self._raiser_phones[appeal.pk]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, appeal: Appeal) -> list[str]:
        return allowed_actions(self._scope(), appeal)


class AppealEventSerializer(serializers.ModelSerializer):
    """One step of the timeline. ``context["actors"]`` maps user ids to their name and role
    (``appeals.timeline.describe_actors``); the actor is never shown by login name."""

    actor_name = serializers.SerializerMethodField()
    actor_role = serializers.SerializerMethodField()
    action_label = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = AppealEvent
        fields = [
            "id",
            "at",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "actor_role",
            "unit",
            "unit_name",
            "note",
        ]

    def _who(self, event: AppealEvent) -> Who | None:
        if event.actor_id is None:
            return None
        actors = self.context.get("actors") or {}
        if event.actor_id not in actors:  # not described by the caller: look this one up
            actors = describe_actors([event.actor_id])
        return actors.get(event.actor_id)

    @extend_schema_field(serializers.CharField())
    def get_actor_name(self, event: AppealEvent) -> str:
        if getattr(
            event, "actor_hidden", False
        ):  # an anonymous raiser, read by a unit (timeline.visible_events)
            return ANONYMOUS_NAME
        who = self._who(event)
        return who.name or str(who) if who else SYSTEM

    @extend_schema_field(serializers.CharField())
    def get_actor_role(self, event: AppealEvent) -> str:
        who = self._who(event)
        return who.role if who else ""

    @extend_schema_field(serializers.CharField())
    def get_action_label(self, event: AppealEvent) -> str:
        return ACTION_LABELS.get(event.action, event.action)


class AppealCreateSerializer(serializers.Serializer):
    """The body of 点单. Each place is read with what intake needs of it in the same query: a category with its
    parent (the figures' root category), a building with its grid and the grid's parent (the community)."""

    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=5000)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        required=False,
        allow_null=True,
    )
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.COMMUNITY), required=False, allow_null=True
    )
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.GRID).select_related("parent"),
        required=False,
        allow_null=True,
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.select_related("grid__parent"), required=False, allow_null=True
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] != Channel.OPEN311], default=Channel.API
    )  # open311 is the GeoReport interface's own
    raised_by = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )
    is_anonymous = serializers.BooleanField(default=False)
    street = serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.select_related("community", "head__user"),
        required=False,
        allow_null=True,
        help_text="街长制：诉求所在街路（须是诉求所在社区的街路）",
    )


class AppealCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)


# ---- action bodies ------------------------------------------------------------------------------------------
class TriageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TriageKind.choices)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    answer = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class DispatchSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class OptionalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=5000)


class RateSerializer(serializers.Serializer):
    resolved = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class WhistleSerializer(serializers.Serializer):
    units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), many=True, allow_empty=False
    )
    report_within_hours = serializers.IntegerField(min_value=1, max_value=72, default=2)
    task = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class LogTimeSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class MergeSerializer(serializers.Serializer):
    # ``source`` names the keyword of services.appeal_merge, which the action passes validated_data to.
    into = serializers.IntegerField(min_value=1, source="into_id")


class ReleaseSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


ACTION_NAMES = list(ACTION_LABELS)
