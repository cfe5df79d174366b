"""Writes of 楼院三长: appointing and ending a steward, kept by the community's staff on the product's pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from access.models import RoleAssignment
from access.scope import Scope
from access.services import role_grant, role_revoke
from areas.models import Area, Building
from audit.models import record
from cobuilding.scope import keeps_structure
from estates.models import Steward
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from people.models import Person


def _community(building: Building) -> Area:
    community = building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    assert community is not None
    return community


@transaction.atomic
def steward_appoint(
    *,
    user,
    person: Person,
    building: Building,
    post: str,
    households: Iterable[int] = (),
    entrance: str = "",
    appointed_on: date | None = None,
    years: int = 3,
    letter_no: str = "",
) -> Steward:
    scope = Scope.of(user)
    community = _community(building)
    if not keeps_structure(scope, community):
        raise PermissionDenied(f"只有{community.name}的工作人员可以聘任楼院三长")
    errors: dict[str, str] = {}
    if post not in Steward.Post.values:
        errors["post"] = "请选择职务"
    if person.community_id != community.pk:
        errors["person"] = f"{person.name} 不是{community.name}的居民"
    if post == Steward.Post.UNIT_HEAD and not entrance.strip():
        errors["entrance"] = "单元长须填写所在单元"
    if (
        post == Steward.Post.BUILDING_HEAD
        and Steward.objects.filter(building=building, post=post, ended_at__isnull=True).exists()
    ):
        errors["post"] = f"{building.name} 已有在任楼长，请先办理卸任"
    covered = list(building.households.filter(pk__in=list(households)))
    if len(covered) != len(set(households)):
        errors["households"] = f"联系户须是{building.name}的住户"
    if not 1 <= years <= 5:
        errors["years"] = "任期为 1 至 5 年"
    if letter_no and Steward.objects.filter(letter_no=letter_no).exists():
        errors["letter_no"] = f"聘书编号“{letter_no}”已使用"  # given by an Excel import, else numbered here
    if errors:
        raise ValidationError(errors)
    start = appointed_on or clock.now().date()
    steward = Steward.objects.create(
        person=person,
        building=building,
        post=post,
        entrance=entrance.strip()[:20],
        appointed_on=start,
        term_ends_on=start.replace(year=start.year + years),
        letter_no=letter_no[:40] or _letter_no(community, start),
        appointed_by=user,
    )
    steward.households.set(covered)
    if (
        person.user_id
        and not RoleAssignment.objects.filter(user_id=person.user_id, role=post, building=building).exists()
    ):
        role_grant(actor=user, user=person.user, role=post, building=building)
    record(actor=user, action="create", obj=steward, summary=f"聘任 {steward}", households=len(covered))
    return steward


def _letter_no(community: Area, day: date) -> str:
    prefix = f"{community.code}-{day.year}-"
    n = Steward.objects.filter(letter_no__startswith=prefix).count() + 1
    while Steward.objects.filter(letter_no=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def steward_end(*, user, steward_id: int, reason: str) -> Steward:
    steward = (
        Steward.objects.select_for_update(of=("self",))
        .select_related("building__grid", "person")
        .get(pk=steward_id)
    )
    if steward.ended_at is not None:
        raise TransitionError("该楼院三长已卸任（可能已被他人处理，请刷新）")
    if not keeps_structure(Scope.of(user), _community(steward.building)):
        raise PermissionDenied("只有本社区的工作人员可以办理卸任")
    if not reason.strip():
        raise ValidationError({"reason": "请填写卸任原因"})
    steward.ended_at = clock.now()
    steward.save(update_fields=["ended_at"])
    others = Steward.objects.filter(
        person=steward.person, building=steward.building, post=steward.post, ended_at__isnull=True
    )
    if steward.person.user_id and not others.exists():
        for assignment in RoleAssignment.objects.filter(
            user_id=steward.person.user_id, role=steward.post, building=steward.building
        ):
            role_revoke(actor=user, assignment=assignment)
    record(actor=user, action="update", obj=steward, summary=f"卸任 {steward}", reason=reason.strip())
    return steward
