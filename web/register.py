"""Register work on the product's pages (the admin site is the administrator's): registering and editing a person,
where they live, and a unit's contact phone. Each page asks the user's Scope: out of their scope is a 404, in sight
but not theirs to change a 403. Writes go through the services, which keep an audit row."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from people import services as people
from people.models import HouseholdMember, Person
from units.services import unit_update
from web.forms import HousingForm, PersonForm, UnitContactForm


def _staff_scope(request) -> Scope:
    scope = Scope.of(request.user)
    if not scope.is_staff_like:
        raise Http404
    return scope


def _to_fields(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: each message under its field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _person_to_change(request, pk: int) -> tuple[Scope, Person]:
    scope = _staff_scope(request)
    person = get_object_or_404(scope.persons(), pk=pk)
    if not scope.can_change_person(person):
        raise PermissionDenied("您可以查看这位居民，但不能修改他的登记信息。")
    return scope, person


@login_required
def person_new(request):
    scope = _staff_scope(request)
    communities = scope.person_communities()
    if not communities.exists():
        raise PermissionDenied("您的角色不登记居民。")
    form = PersonForm(request.POST or None, communities=communities, party_orgs=scope.party_orgs())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = people.person_create(actor=request.user, **data)
        except ValidationError as exc:
            _to_fields(form, exc)
        else:
            messages.success(request, f"已登记 {person.name}。请登记住址。")
            return redirect("person-detail", pk=person.pk)
    return render(request, "web/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request, pk: int):
    scope, person = _person_to_change(request, pk)
    form = PersonForm(
        request.POST or None,
        instance=person,
        communities=scope.person_communities(),
        party_orgs=scope.party_orgs(),
        show_phone=scope.can_see_phone(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.person_update(actor=request.user, person=person, **form.changes())
        except ValidationError as exc:
            _to_fields(form, exc)
        else:
            messages.success(request, f"已保存 {person.name} 的登记信息。")
            return redirect("person-detail", pk=person.pk)
    person.refresh_from_db()  # the heading keeps the saved name while the form shows what was typed
    return render(request, "web/person_form.html", {"form": form, "person": person})


@login_required
def person_housing(request, pk: int):
    scope, person = _person_to_change(request, pk)
    buildings = scope.houseable_buildings()
    if not buildings.exists():
        raise PermissionDenied("您的角色不登记住址。")
    form = HousingForm(request.POST or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                member = people.person_house(actor=request.user, person=person, **data)
        except ValidationError as exc:
            _to_fields(form, exc)
        else:
            messages.success(request, f"已登记 {person.name} 住在 {member.household}。")
            return redirect("person-detail", pk=person.pk)
    return render(request, "web/housing_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_move_out(request, pk: int, member_pk: int):
    scope, person = _person_to_change(request, pk)
    member = get_object_or_404(
        HouseholdMember.objects.select_related("household__building__grid"), pk=member_pk, person=person
    )
    if not scope.can_house_in(member.household.building):
        raise PermissionDenied("这一户不在您登记住址的范围内。")
    people.household_member_remove(actor=request.user, member=member)
    messages.success(request, f"已登记 {person.name} 搬离 {member.household}。")
    return redirect("person-detail", pk=person.pk)


@login_required
def unit_edit(request, pk: int):
    scope = _staff_scope(request)
    unit = get_object_or_404(scope.units(), pk=pk)
    if not scope.can_change_unit(unit):
        raise PermissionDenied("您可以查看这个单位，但不能修改它的信息。")
    form = UnitContactForm.for_unit(unit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(actor=request.user, unit=unit, contact_phone=form.cleaned_data["contact_phone"])
        except ValidationError as exc:
            _to_fields(form, exc)
        else:
            messages.success(request, f"已保存 {unit.name} 的联系电话。")
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "web/unit_form.html", {"form": form, "unit": unit})
