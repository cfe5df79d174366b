"""Home pages: the landing page for visitors, the day's work for staff and residents, and the list of
communities whose public pages (公示, 三率与排名) anybody may read."""

from __future__ import annotations

from itertools import groupby

from django.shortcuts import render

from access.scope import Scope
from areas.models import Area
from web.today import DUE_SOON_LABEL, may_record_appeals, todays_work


def my_communities(scope: Scope) -> list[Area]:
    """The communities a person lives in or works for, nearest first: their own community, then those where they
    hold a role (a grid's community for a grid worker, every community of a subdistrict for its staff)."""
    if not getattr(scope.user, "is_authenticated", False):
        return []
    found: dict[int, Area] = {}
    person = scope.person
    if person is not None and person.community is not None:
        found[person.community.pk] = person.community
    for node in scope.nodes({a.role for a in scope.assignments}):
        community = node.ancestor_of_kind(Area.Kind.COMMUNITY)
        if community is not None:
            found.setdefault(community.pk, community)
        elif node.kind in (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT) and len(found) < 3:
            for area in Area.objects.filter(kind=Area.Kind.COMMUNITY, path__startswith=node.path)[:3]:
                found.setdefault(area.pk, area)
    return list(found.values())


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    scope = Scope.of(request.user)
    person = scope.person
    context = {
        "person": person,
        "assignments": scope.describe(),
        "tasks": todays_work(scope),
        "due_soon_label": DUE_SOON_LABEL,
        "my_communities": my_communities(scope),
    }
    if not scope.is_staff_like:
        households = list(person.memberships.select_related("household__building__grid")) if person else []
        context.update(households=households, units=scope.units().filter(is_active=True)[:12])
        return render(request, "web/home_resident.html", context)
    context.update(
        may_record=may_record_appeals(scope),
        top_areas=[a for a in scope.nodes({a.role for a in scope.assignments}) if a is not None],
        my_units=scope.units().filter(pk__in=scope.unit_ids),
    )
    return render(request, "web/home_staff.html", context)


def community_index(request):
    """/community/: every community by subdistrict, each linking to its public page; open to everybody. A signed-in
    resident or worker finds their own community first."""
    communities = Area.objects.filter(kind=Area.Kind.COMMUNITY).select_related("parent").order_by("path")
    subdistricts = {a.pk: a for a in Area.objects.filter(kind=Area.Kind.SUBDISTRICT)}

    def subdistrict_of(community: Area) -> Area | None:
        return next((subdistricts[i] for i in community.ancestor_ids() if i in subdistricts), None)

    groups = [
        (subdistrict, list(members)) for subdistrict, members in groupby(communities, key=subdistrict_of)
    ]
    return render(
        request,
        "web/community_index.html",
        {"groups": groups, "mine": my_communities(Scope.of(request.user))},
    )
