"""Writes of 走访: open a round, assign its grids, tag a household, log a visit, raise an appeal or a need from it.

Logging a visit and referring it are idempotent on the key the form was rendered with: the second submission of
the same form (a resend after the network came back, a double tap) returns what the first made.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from access.models import Role
from access.scope import Scope
from appeals.models import Appeal, Channel
from appeals.services import appeal_submit
from areas.models import Area, Household
from audit.models import record
from categories.models import Category
from linli import clock
from linli.errors import PermissionDenied, ValidationError
from linli.text import required_text
from needs.models import Need
from people.models import Person
from visits.models import CareTag, Finding, HouseholdTag, Round, RoundGrid, Visit, VisitEvent, VisitReferral
from visits.scope import may_open_round, may_visit


def parse_key(key: object, field: str = "key") -> uuid.UUID:
    try:
        return uuid.UUID(str(key))
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: "提交编号无效，请刷新页面后重新填写"}) from exc


# ---- rounds -------------------------------------------------------------------------------------------------
def grid_worker_of(grid: Area):
    """The grid's grid worker (the first by user id), or its grid leader."""
    User = get_user_model()
    for role in (Role.GRID_WORKER, Role.GRID_LEADER):
        user = (
            User.objects.filter(role_assignments__role=role, role_assignments__area=grid, is_active=True)
            .order_by("pk")
            .first()
        )
        if user is not None:
            return user
    return None


def grid_workers_under(area: Area):
    """Grid workers and leaders holding their role at a grid under (or at) the area."""
    return (
        get_user_model()
        .objects.filter(
            role_assignments__role__in=[Role.GRID_WORKER, Role.GRID_LEADER],
            role_assignments__area__path__startswith=area.path,
            is_active=True,
        )
        .select_related("person")
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def round_open(*, user, area: Area, kind: str, title: str, starts_on: date, ends_on: date) -> Round:
    """A round over a community (or a grid): each grid's worker covers its households by ``ends_on``."""
    if not may_open_round(Scope.of(user), area):
        raise PermissionDenied(f"只有{area.name}的社区或街道工作人员可以安排走访")
    if area.kind not in (Area.Kind.COMMUNITY, Area.Kind.ZONE, Area.Kind.GRID):
        raise ValidationError({"area": "走访轮次须安排在社区、片区或网格"})
    if kind not in Round.Kind.values:
        raise ValidationError({"kind": "请选择走访类型"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "完成期限不能早于开始日期"})
    grids = (
        [area]
        if area.kind == Area.Kind.GRID
        else list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=area.path).order_by("path"))
    )
    if not grids:
        raise ValidationError({"area": f"{area.name}下还没有网格"})
    rnd = Round.objects.create(
        area=area,
        kind=kind,
        title=required_text(title, "title", "名称", 120),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        created_at=clock.now(),
    )
    RoundGrid.objects.bulk_create(
        [RoundGrid(round=rnd, grid=g, worker=grid_worker_of(g), due_on=ends_on) for g in grids]
    )
    record(
        actor=user,
        action="visit_round_open",
        obj=rnd,
        summary=f"安排走访：{rnd.title}（{len(grids)} 个网格）",
    )
    return rnd


@transaction.atomic
def round_assign(*, user, round_grid_id: int, worker, due_on: date | None = None) -> RoundGrid:
    try:
        rg = RoundGrid.objects.select_for_update().select_related("round__area", "grid").get(pk=round_grid_id)
    except RoundGrid.DoesNotExist as exc:
        raise ValidationError({"round_grid": "该网格不在走访轮次中"}) from exc
    if not may_open_round(Scope.of(user), rg.round.area):
        raise PermissionDenied("只有安排走访的社区或街道工作人员可以调整负责人")
    if worker is not None and not Scope.of(worker).nodes({Role.GRID_WORKER, Role.GRID_LEADER}):
        raise ValidationError({"worker": "负责人须是网格员或网格长"})
    rg.worker = worker
    if due_on is not None:
        if not rg.round.starts_on <= due_on:
            raise ValidationError({"due_on": "完成期限不能早于轮次开始日期"})
        rg.due_on = due_on
    rg.save(update_fields=["worker", "due_on"])
    record(
        actor=user,
        action="visit_round_assign",
        obj=rg.round,
        summary=f"{rg.grid.name}由{worker or '（未指定）'}走访",
    )
    return rg


# ---- special groups ------------------------------------------------------------------------------------------
@transaction.atomic
def household_tag(*, user, household: Household, tag: str, note: str = "") -> HouseholdTag:
    if not may_visit(Scope.of(user), household):
        raise PermissionDenied("只有本网格的网格员和社区工作人员可以登记重点走访户")
    if tag not in CareTag.values:
        raise ValidationError({"tag": "请选择重点人群"})
    existing = HouseholdTag.objects.filter(household=household, tag=tag).first()
    if existing is not None:
        return existing
    tagged = HouseholdTag.objects.create(
        household=household, tag=tag, note=note.strip()[:200], since=clock.now().date(), tagged_by=user
    )
    record(
        actor=user, action="visit_tag", obj=household, summary=f"{household}登记为{tagged.get_tag_display()}"
    )
    return tagged


@transaction.atomic
def household_untag(*, user, household: Household, tag: str) -> None:
    if not may_visit(Scope.of(user), household):
        raise PermissionDenied("只有本网格的网格员和社区工作人员可以取消重点走访户")
    deleted, _ = HouseholdTag.objects.filter(household=household, tag=tag).delete()
    if deleted:
        record(
            actor=user, action="visit_untag", obj=household, summary=f"{household}不再是{CareTag(tag).label}"
        )


# ---- visits -------------------------------------------------------------------------------------------------
def round_for(household: Household, day: date) -> Round | None:
    """The round that covers the household's grid on that day (the latest to start)."""
    grid = household.building.grid
    return (
        Round.objects.filter(grids__grid=grid, starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on", "-id")
        .first()
    )


def _existing(key: uuid.UUID, user) -> Visit | None:
    visit = Visit.objects.filter(key=key).first()
    if visit is not None and visit.visitor_id != getattr(user, "pk", None):
        raise ValidationError({"key": "提交编号已被使用，请刷新页面后重新填写"})
    return visit


def visit_log(
    *,
    user,
    household: Household,
    key: object,
    seen: list[Person] | tuple[Person, ...] = (),
    met: bool = True,
    finding: str = Finding.NORMAL,
    note: str = "",
) -> tuple[Visit, bool]:
    """Log one visit (returns it, and whether it was made now); the same key again returns the first visit."""
    key = parse_key(key)
    with transaction.atomic():
        first = _existing(key, user)
        if first is not None:
            return first, False
        scope = Scope.of(user)
        if not may_visit(scope, household):
            raise PermissionDenied("只有本网格的网格员和社区工作人员可以登记走访")
        if finding not in Finding.values:
            raise ValidationError({"finding": "请选择发现情况"})
        members = set(household.memberships.values_list("person_id", flat=True))
        if any(p.pk not in members for p in seen):
            raise ValidationError({"seen": "见到的人须是这一户的成员"})
        if met and not seen and not note.strip():
            raise ValidationError({"seen": "请勾选见到的人，或选择“无人在家”"})
        if not met:
            seen = ()
        now = clock.now()
        try:
            with transaction.atomic():
                visit = Visit.objects.create(
                    household=household,
                    grid=household.building.grid,
                    round=round_for(household, now.date()),
                    visitor=user,
                    visited_at=now,
                    met=met,
                    finding=finding,
                    note=note.strip()[:2000],
                    key=key,
                )
        except IntegrityError:  # the same form, sent twice at once: the other request made it
            return Visit.objects.get(key=key), False
        visit.seen.set(seen)
        VisitEvent.objects.create(
            visit=visit, at=now, actor=user, action="log", to_status=finding, note="" if met else "无人在家"
        )
        record(actor=user, action="visit_log", obj=visit, summary=f"走访 {household}")
        return visit, True


def _referral(key: uuid.UUID, visit: Visit) -> VisitReferral | None:
    ref = VisitReferral.objects.filter(key=key).first()
    if ref is not None and ref.visit_id != visit.pk:
        raise ValidationError({"key": "提交编号已被使用，请刷新页面后重新填写"})
    return ref


def _lock_visit(visit_id: int) -> Visit:
    try:
        return (
            Visit.objects.select_for_update(of=("self",))
            .select_related("household__building__grid")
            .get(pk=visit_id)
        )
    except (Visit.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError({"visit": "走访记录不存在"}) from exc


def visit_raise_appeal(
    *, user, visit_id: int, key: object, title: str, body: str, raised_by: Person | None = None
) -> Appeal:
    """点单 from the courtyard: an appeal on the household's behalf, channel 网格员走访, linked to the visit.
    The visit row is locked, so of two submissions of the same form the second finds the first's appeal."""
    key = parse_key(key)
    with transaction.atomic():
        visit = _lock_visit(visit_id)
        ref = _referral(key, visit)
        if ref is not None:
            assert ref.appeal is not None
            return ref.appeal
        if not may_visit(Scope.of(user), visit.household):
            raise PermissionDenied("只有本网格的网格员和社区工作人员可以替住户登记诉求")
        if raised_by is None:
            raised_by = next(iter(visit.seen.all()), None) or _head_of(visit.household)
        if raised_by is None:
            raise ValidationError({"raised_by": "这一户还没有登记成员，请先登记住户"})
        appeal = appeal_submit(
            user=user,
            title=title,
            body=body,
            channel=Channel.VISIT,
            raised_by=raised_by,
            building=visit.household.building,
            address=str(visit.household),
        )
        now = clock.now()
        VisitReferral.objects.create(
            visit=visit,
            kind=VisitReferral.Kind.APPEAL,
            key=key,
            appeal=appeal,
            created_by=user,
            created_at=now,
        )
        VisitEvent.objects.create(
            visit=visit, at=now, actor=user, action="appeal", note=f"诉求 #{appeal.pk}：{appeal.title}"
        )
        return appeal


def visit_register_need(
    *,
    user,
    visit_id: int,
    key: object,
    category: Category | None,
    title: str,
    description: str = "",
    priority: int = 0,
) -> Need:
    """需求清单 from a visit, through the needs app's own service (its rules say who may register a need)."""
    from needs.services import need_create

    key = parse_key(key)
    with transaction.atomic():
        visit = _lock_visit(visit_id)
        ref = _referral(key, visit)
        if ref is not None:
            assert ref.need is not None
            return ref.need
        household = visit.household
        community = household.building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
        if community is None:
            raise ValidationError({"visit": "这一户不在任何社区"})
        need = need_create(
            actor=user,
            community=community,
            category=category,
            title=title,
            description=description,
            person=next(iter(visit.seen.all()), None) or _head_of(household),
            group="" if household.memberships.exists() else str(household),
            building=household.building,
            priority=priority,
        )
        now = clock.now()
        VisitReferral.objects.create(
            visit=visit, kind=VisitReferral.Kind.NEED, key=key, need=need, created_by=user, created_at=now
        )
        VisitEvent.objects.create(
            visit=visit, at=now, actor=user, action="need", note=f"需求 #{need.pk}：{need.title}"
        )
        return need


def _head_of(household: Household) -> Person | None:
    m = household.memberships.select_related("person").order_by("-relation", "pk")
    head = m.filter(relation="head").first() or m.first()
    return head.person if head else None
