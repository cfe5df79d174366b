"""Deliberation in the admin, through the user's scope: staff see the topics, meetings, votes, decisions, tasks
and feedback of the communities they see (``deliberation.selectors``), read-only, because every change of a
topic goes through its service (the pages and the API). The administrator may rename process templates and their
steps (``deliberation.process_edits``).

Ballots and residents' evaluations are not listed: who voted what, and who rated how, is not shown to anybody.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from access.admin_scope import ReadOnlyInline, ReadOnlyScopedAdmin, ScopedAdmin
from access.scope import Scope
from deliberation import process_edits
from deliberation.models import (
    Decision,
    Feedback,
    ImplementationTask,
    Meeting,
    Participant,
    ProcessTemplate,
    StepDefinition,
    Topic,
    TopicEvent,
    TopicStep,
    Vote,
    VoteOption,
)
from deliberation.selectors import visible_meetings, visible_topics, visible_votes


class TopicStepInline(ReadOnlyInline):
    model = TopicStep
    fields = ["definition", "started_at", "completed_at", "completed_by", "note"]


class TopicEventInline(ReadOnlyInline):
    model = TopicEvent
    fields = ["at", "actor", "action", "step", "from_status", "to_status", "note"]


@admin.register(Topic)
class TopicAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "title",
        "community",
        "building",
        "source",
        "template",
        "current_step",
        "status",
        "created_at",
    ]
    list_filter = ["status", "source", "template"]
    search_fields = ["title", "body"]
    date_hierarchy = "created_at"
    inlines = [TopicStepInline, TopicEventInline]

    def scoped(self, scope: Scope) -> QuerySet:
        return visible_topics(scope)

    def get_queryset(self, request: HttpRequest):
        return (
            super().get_queryset(request).select_related("community", "building", "template", "current_step")
        )


class ParticipantInline(ReadOnlyInline):
    model = Participant
    fields = ["party", "name", "person", "unit", "invited_at", "attended"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "topic", "form", "starts_at", "place", "status"]
    list_filter = ["status", "form"]
    search_fields = ["title", "topic__title"]
    inlines = [ParticipantInline]

    def scoped(self, scope: Scope) -> QuerySet:
        return visible_meetings(scope)


class VoteOptionInline(ReadOnlyInline):
    model = VoteOption
    fields = ["order", "label", "is_approval"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "topic", "electorate", "matter", "secret", "opens_at", "closes_at", "status"]
    list_filter = ["status", "electorate", "matter"]
    search_fields = ["title", "topic__title"]
    exclude = ["result"]  # a secret vote's count is not shown before it closes: read it on the vote page
    inlines = [VoteOptionInline]

    def scoped(self, scope: Scope) -> QuerySet:
        return visible_votes(scope)


class OfTopicAdmin(ReadOnlyScopedAdmin):
    """Rows that belong to a topic are seen with their topic."""

    def scoped(self, scope: Scope) -> QuerySet:
        return self.model._default_manager.filter(topic__in=visible_topics(scope))


@admin.register(Decision)
class DecisionAdmin(OfTopicAdmin):
    list_display = ["__str__", "topic", "adopted", "decided_at", "meeting", "vote"]
    list_filter = ["adopted"]
    search_fields = ["text", "topic__title"]


@admin.register(ImplementationTask)
class ImplementationTaskAdmin(OfTopicAdmin):
    list_display = ["title", "topic", "kind", "owner", "unit", "appeal", "due", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "topic__title"]


@admin.register(Feedback)
class FeedbackAdmin(OfTopicAdmin):
    list_display = ["__str__", "topic", "reported_at"]
    search_fields = ["body", "topic__title"]


class StepDefinitionInline(admin.TabularInline):
    model = StepDefinition
    extra = 0
    can_delete = False
    fields = ["order", "code", "name", "guidance", "requires"]
    readonly_fields = ["order", "code", "requires"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return Scope.of(request.user).is_admin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(ScopedAdmin):
    """The templates are the same for every community: staff read them, the administrator edits their words."""

    list_display = ["code", "name", "description", "is_active"]
    fields = ["code", "name", "description", "is_active"]
    readonly_fields = ["code"]
    inlines = [StepDefinitionInline]

    def get_queryset(self, request: HttpRequest):
        return admin.ModelAdmin.get_queryset(self, request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and self._scope(request).is_admin

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new templates are data (deliberation.processes), with steps the requirements know

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        process_edits.process_template_update(
            user=request.user,
            template_id=obj.pk,
            name=obj.name,
            description=obj.description,
            is_active=obj.is_active,
        )

    def save_formset(self, request, form, formset, change):
        # What formset.save() would record for the admin's change message; steps are never added or deleted.
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for step_form in formset.forms:
            if step_form.instance.pk and step_form.has_changed():
                step = process_edits.step_definition_update(
                    user=request.user,
                    step_id=step_form.instance.pk,
                    name=step_form.instance.name,
                    guidance=step_form.instance.guidance,
                )
                formset.changed_objects.append((step, step_form.changed_data))
