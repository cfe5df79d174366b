"""The list of dispute kinds and their time limits is district configuration, kept by the administrator."""

from django.contrib import admin

from categories.admin import DistrictConfigAdmin
from disputes.models import DisputeKind


@admin.register(DisputeKind)
class DisputeKindAdmin(DistrictConfigAdmin):
    list_display = ["name", "code", "working_days", "order", "active"]
    list_editable = ["working_days", "order", "active"]
