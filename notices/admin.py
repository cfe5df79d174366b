"""The notice board in the admin, read-only and through the user's scope: staff see the notices (and the
objections) of the communities they see. Notices are published, withdrawn and answered only through
``notices.services`` (the 公示管理 page, the notice pages and the API)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from access.admin_scope import ReadOnlyInline, ReadOnlyScopedAdmin
from access.scope import Scope
from notices.models import Notice, Objection
from notices.selectors import staff_notices


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = ["name", "body", "raised_at", "answer", "answered_at"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyScopedAdmin):
    list_display = ["title", "community", "kind", "starts_at", "ends_at", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "body"]
    inlines = [ObjectionInline]

    def scoped(self, scope: Scope) -> QuerySet:
        return staff_notices(scope)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "notice", "raised_at", "answered_at"]
    search_fields = ["body", "notice__title"]

    def scoped(self, scope: Scope) -> QuerySet:
        return Objection.objects.filter(notice__in=staff_notices(scope))
