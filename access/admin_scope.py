"""The admin follows the same scope as the product: a non-superuser sees and changes only what Scope allows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

from access.scope import Scope
from areas.models import Area, Building
from people.models import Person
from units.models import PartyOrg, Unit

SCOPE_READERS: dict[type, str] = {
    Area: "areas",
    Building: "buildings",
    Person: "persons",
    Unit: "units",
    PartyOrg: "party_orgs",
}


class ScopedAdmin(admin.ModelAdmin):
    """Subclasses name the Scope reader (``scope_queryset``) and the change check (``scope_can_change``)."""

    scope_queryset: str = ""
    scope_can_change: str = ""

    def _scope(self, request: HttpRequest) -> Scope:
        return Scope.of(request.user)

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)
        scoped = getattr(self._scope(request), self.scope_queryset)()
        return qs.filter(pk__in=scoped.values("pk"))

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        # The choices of a many-to-many picker (a unit's served areas) are limited to what the user sees,
        # so the form neither lists outside names nor lets the user reach outside their scope.
        scope = self._scope(request)
        reader = SCOPE_READERS.get(db_field.related_model)
        if reader and not scope.is_admin and "queryset" not in kwargs:
            kwargs["queryset"] = getattr(scope, reader)()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        # The same for a single pick (a person's community or party organisation, a unit's home area): the
        # choices are what the user sees, plus the value the object already has (a grid worker keeps a
        # resident's community without seeing the whole community); a raw id typed in from outside is
        # refused by the field like any invalid choice.
        form = super().get_form(request, obj, change=change, **kwargs)
        scope = self._scope(request)
        if scope.is_admin:
            return form
        for name, field in form.base_fields.items():
            related = getattr(getattr(field, "queryset", None), "model", None)
            reader = SCOPE_READERS.get(related) if related is not None else None
            if related is None or reader is None or isinstance(field, ModelMultipleChoiceField):
                continue
            keep = Q(pk__in=getattr(scope, reader)().values("pk"))
            current = getattr(obj, f"{name}_id", None) if obj is not None else None
            if current is not None:
                keep |= Q(pk=current)
            if isinstance(field, ModelChoiceField):
                field.queryset = related._default_manager.filter(keep)
        return form

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff and self._scope(request).is_staff_like

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = self._scope(request)
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return scope.is_admin or bool(scope.roles & self.changing_roles())
        return self.has_view_permission(request, obj) and getattr(scope, self.scope_can_change)(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._scope(request).is_admin and (obj is None or self.has_view_permission(request, obj))

    def changing_roles(self) -> set[str]:
        from access.scope import AREA_MANAGER_ROLES, PEOPLE_KEEPER_ROLES

        return set(AREA_MANAGER_ROLES) | set(PEOPLE_KEEPER_ROLES) | {"unit_staff"}


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Lists and shows what ``scoped(scope)`` lets the user see; nobody adds, changes or deletes here (the rows
    are records, or change only through their services)."""

    def scoped(self, scope: Scope) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs.filter(pk__in=self.scoped(self._scope(request)).values("pk"))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows of an object the user may already see (the parent admin checked the scope)."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
