from django.contrib import admin

from access.admin_scope import ScopedAdmin
from access.scope import Scope
from audit.access_log import one_insert, reveal, reveal_homes
from people.models import HouseholdMember, Person


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0
    raw_id_fields = ["household"]


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    scope_queryset = "persons"
    scope_can_change = "can_change_person"
    list_display = ["name", "shown_phone", "community", "is_party_member"]
    list_filter = ["is_party_member"]
    search_fields = ["name"]
    raw_id_fields = ["user", "party_org", "community"]
    exclude = ["elder_mode"]  # the person's own choice, made on their pages (people.services)
    inlines = [MemberInline]

    def get_list_display(self, request):
        self._request = request
        return super().get_list_display(request)

    @admin.display(description="电话")
    def shown_phone(self, obj):
        return Scope.of(self._request.user).phone_of(obj)

    def get_readonly_fields(self, request, obj=None):
        # Linking a person to a login is the administrator's: logins have no area to scope them by.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if Scope.of(request.user).is_admin else [*fields, "user"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """A person's form shows their phone (where the scope allows) and, where the user may read households
        here, their homes in full: the PIPL access log, in one insert."""
        if obj is not None:
            homes_shown = any(
                isinstance(f.opts, MemberInline) for f in context.get("inline_admin_formsets", [])
            )
            with one_insert():
                if Scope.of(request.user).can_see_phone(obj):
                    reveal(user=request.user, person=obj, value=obj.phone)
                if homes_shown:
                    reveal_homes(user=request.user, person=obj, homes=obj.memberships.all())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not Scope.of(request.user).can_see_phone(obj):
            return [f for f in fields if f != "phone"]
        return fields
