"""Reads of notices, and the two questions other apps ask about a community: who runs it, who lives in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from access.models import Role
from access.scope import AREA_STAFF_ROLES, HOME_ROLES, Scope, any_of
from areas.models import Area, Building
from linli.errors import PermissionDenied
from notices.models import Notice


def runs_community(scope: Scope, community: Area) -> bool:
    """Community staff of this community (and the administrator) run its deliberations and its notice board."""
    if scope.is_admin:
        return True
    return any(community.path.startswith(n.path) for n in scope.nodes({Role.COMMUNITY_STAFF}))


def run_communities(scope: Scope, within: Area | None = None) -> QuerySet[Area]:
    """The communities this person runs (``runs_community``), in the order of the tree; ``within``: those at or
    below an area."""
    communities = Area.objects.filter(kind=Area.Kind.COMMUNITY).order_by("path")
    if within is not None:
        communities = communities.filter(path__startswith=within.path)
    if scope.is_admin:
        return communities
    return communities.filter(
        any_of([Q(path__startswith=n.path) for n in scope.nodes({Role.COMMUNITY_STAFF})])
    )


def chosen_run_community(runnable: Iterable[Area], chosen: str | None) -> Area:
    """The community a form names (its id, as posted) among those the person runs; any other is refused (403)."""
    community = next((c for c in runnable if str(c.pk) == chosen), None)
    if community is None:
        raise PermissionDenied("请选择您负责的社区")
    return community


def works_in_community(scope: Scope, community: Area) -> bool:
    """Area staff whose node lies above, at or below the community read everything of it."""
    if scope.is_admin:
        return True
    return any(
        community.path.startswith(n.path) or n.path.startswith(community.path)
        for n in scope.nodes(AREA_STAFF_ROLES)
    )


def home_community_ids(scope: Scope) -> set[int]:
    """Communities the user lives in or is registered with (residents, party members, building heads)."""
    ids = {n.pk for n in scope.nodes(HOME_ROLES) if n.kind == Area.Kind.COMMUNITY}
    person = scope.person
    building_q = Q(pk__in=scope.building_ids)
    if person is not None:
        building_q |= Q(households__memberships__person=person)
        if person.community_id:
            ids.add(person.community_id)
    grid_paths = set(Building.objects.filter(building_q).values_list("grid__path", flat=True))
    for path in grid_paths:
        ids.update(int(p) for p in path.strip("/").split("/") if p)
    if grid_paths:
        ids = set(Area.objects.filter(pk__in=ids, kind=Area.Kind.COMMUNITY).values_list("pk", flat=True))
    return ids


def lives_in(scope: Scope, community: Area) -> bool:
    return community.pk in home_community_ids(scope)


def board(community: Area, now: datetime) -> QuerySet[Notice]:
    """The notices the public sees now: published, period started, with their objection counts."""
    return (
        Notice.objects.filter(community=community, status=Notice.Status.PUBLISHED, starts_at__lte=now)
        .annotate(n_objections=Count("objections"))
        .order_by("-starts_at", "-id")
    )


def current_notices(community: Area, now: datetime) -> QuerySet[Notice]:
    return board(community, now).filter(ends_at__gte=now)


def past_notices(community: Area, now: datetime) -> QuerySet[Notice]:
    return board(community, now).filter(ends_at__lt=now)


def public_notice(community: Area, notice_id: int, now: datetime) -> Notice | None:
    return board(community, now).filter(pk=notice_id).first()


def visible_notices(scope: Scope) -> QuerySet[Notice]:
    """For the API: published notices are public; staff who run a community also see withdrawn ones."""
    published = Q(status=Notice.Status.PUBLISHED)
    if scope.is_admin:
        return Notice.objects.all()
    run = [Q(community__path__startswith=n.path) for n in scope.nodes({Role.COMMUNITY_STAFF})]
    condition = published
    for q in run:
        condition |= q
    return Notice.objects.filter(condition)


def staff_notices(scope: Scope) -> QuerySet[Notice]:
    """Every notice (withdrawn too) of the communities where the user works as area staff: at, above or below
    them, as ``works_in_community`` says; for the admin site."""
    if scope.is_admin:
        return Notice.objects.all()
    conditions = []
    for node in scope.nodes(AREA_STAFF_ROLES):
        conditions.append(Q(community__path__startswith=node.path))
        conditions.append(Q(community_id__in=node.ancestor_ids()))
    return Notice.objects.filter(any_of(conditions))


def managed_notices(community: Area) -> QuerySet[Notice]:
    """Every notice of the community, withdrawn ones too, with objections counted (for its staff)."""
    return (
        Notice.objects.filter(community=community)
        .annotate(
            n_objections=Count("objections"),
            n_unanswered=Count("objections", filter=Q(objections__answered_at__isnull=True)),
        )
        .order_by("-starts_at", "-id")
    )


def subject_notices(subject_type: str, subject_id: int) -> QuerySet[Notice]:
    return Notice.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("starts_at", "id")
