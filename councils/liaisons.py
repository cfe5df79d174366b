"""两代表一委员 分片联系: assigning deputies and CPPCC members to communities, their contact days and their work.

Kept by the staff over the community (community or subdistrict staff); the matching role (人大代表 / 政协委员 at the
community) is granted with the assignment when the person has a login, and revoked when it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from access.models import RoleAssignment
from access.scope import Scope
from access.services import role_grant, role_revoke
from appeals.models import Appeal
from areas.models import Area
from audit.models import record
from cobuilding.scope import keeps_structure
from councils.models import Liaison
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from people.models import Person


@transaction.atomic
def liaison_assign(*, user, person: Person, kind: str, community: Area, contact_day: str) -> Liaison:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "请选择社区"})
    if not keeps_structure(Scope.of(user), community):
        raise PermissionDenied(f"只有{community.name}及其街道的工作人员可以安排分片联系")
    if kind not in Liaison.Kind.values:
        raise ValidationError({"kind": "请选择身份"})
    if not contact_day.strip():
        raise ValidationError({"contact_day": "请填写接待日，例如“每月第一个周三上午”"})
    if Liaison.objects.filter(person=person, community=community, kind=kind, ended_at__isnull=True).exists():
        raise ValidationError({"person": f"{person.name} 已在联系{community.name}"})
    liaison = Liaison.objects.create(
        person=person,
        kind=kind,
        community=community,
        contact_day=contact_day.strip()[:60],
        since=clock.now().date(),
    )
    if (
        person.user_id
        and not RoleAssignment.objects.filter(user_id=person.user_id, role=kind, area=community).exists()
    ):
        role_grant(actor=user, user=person.user, role=kind, area=community)
    record(actor=user, action="create", obj=liaison, summary=f"分片联系 {liaison}")
    return liaison


@transaction.atomic
def liaison_end(*, user, liaison_id: int) -> Liaison:
    liaison = (
        Liaison.objects.select_for_update(of=("self",))
        .select_related("community", "person")
        .get(pk=liaison_id)
    )
    if liaison.ended_at is not None:
        raise TransitionError("该分片联系已结束（可能已被他人处理，请刷新）")
    if not keeps_structure(Scope.of(user), liaison.community):
        raise PermissionDenied("只有本社区及其街道的工作人员可以结束分片联系")
    liaison.ended_at = clock.now()
    liaison.save(update_fields=["ended_at"])
    if liaison.person.user_id:
        for assignment in RoleAssignment.objects.filter(
            user_id=liaison.person.user_id, role=liaison.kind, area=liaison.community
        ):
            role_revoke(actor=user, assignment=assignment)
    record(actor=user, action="update", obj=liaison, summary=f"结束分片联系 {liaison}")
    return liaison


def liaisons_in(area: Area) -> QuerySet[Liaison]:
    return Liaison.objects.filter(
        community__path__startswith=area.path, ended_at__isnull=True
    ).select_related("person", "community")


def visible_liaisons(scope: Scope) -> QuerySet[Liaison]:
    """Public by nature (the seeds post them on the notice board): anyone who sees the community or works in it."""
    above: set[int] = set()
    for a in scope.assignments:
        place = a.area or (a.building.grid if a.building else None)
        if place is not None:
            above.update(place.ancestor_ids())
    return Liaison.objects.filter(Q(community__in=scope.areas()) | Q(community_id__in=above)).select_related(
        "person", "community"
    )


@dataclass(frozen=True)
class Work:
    appeals_recorded: int  # appeals they recorded for residents of the community
    appeals_followed: int  # the community's appeals they follow


def work_of(liaison: Liaison, start: datetime, end: datetime) -> Work:
    in_period = Appeal.objects.filter(
        community=liaison.community, submitted_at__gte=start, submitted_at__lt=end
    )
    user_id = liaison.person.user_id
    return Work(
        appeals_recorded=in_period.filter(recorded_by_id=user_id).exclude(raised_by=liaison.person).count()
        if user_id
        else 0,
        appeals_followed=in_period.filter(followers=liaison.person).count(),
    )
