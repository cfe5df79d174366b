"""The administrator edits the services' questions in the admin; keys are issued on /open311/keys/ and requests
are read-only here (their contact details are for the staff handling the appeal)."""

from __future__ import annotations

from django.contrib import admin

from linli.admin import AdministratorOnly
from open311.models import Open311Request, ServiceAttribute


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AdministratorOnly):
    list_display = ["category", "order", "code", "datatype", "required", "description"]
    list_filter = ["datatype"]
    raw_id_fields = ["category"]


@admin.register(Open311Request)
class Open311RequestAdmin(AdministratorOnly):
    list_display = ["appeal", "key", "created_at", "address_string", "media_url"]
    readonly_fields = [f.name for f in Open311Request._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
