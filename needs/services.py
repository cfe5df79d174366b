"""Writes of 三库联动: registration (双报到), offers, needs, volunteer teams. Matching is in ``rounds.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access.models import Role
from access.scope import Scope
from appeals.models import Appeal, TriageKind
from areas.models import Area, Building
from audit.models import record
from categories.models import Category
from linli import clock
from needs.models import Need, Offer, Registration, VolunteerTeam
from needs.service_types import ServiceType
from needs.workflow import REGISTRATIONS
from people.models import Person
from units.models import Unit


def community_staff_of(scope: Scope, community: Area) -> bool:
    """Community or subdistrict staff over this community (or the administrator)."""
    return scope.is_admin or any(
        community.path.startswith(n.path) for n in scope.nodes({Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF})
    )


def _check_community(community: Area) -> None:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "请选择社区"})


# ---- 双报到 -------------------------------------------------------------------------------------------------
@transaction.atomic
def registration_create(
    *, actor, community: Area, unit: Unit | None = None, person: Person | None = None, note: str = ""
) -> Registration:
    _check_community(community)
    if (unit is None) == (person is None):
        raise ValidationError({"unit": "请选择报到的单位或党员（二选一）"})
    scope = Scope.of(actor)
    own = (unit is not None and unit.pk in scope.unit_ids) or (person is not None and person == scope.person)
    if not (own or community_staff_of(scope, community)):
        raise PermissionDenied("只有本人、本单位或社区工作人员可以登记报到")
    if person is not None and not person.is_party_member:
        raise ValidationError({"person": f"{person.name} 不是党员，不能以在职党员身份报到"})
    if unit is not None and not unit.is_active:
        raise ValidationError({"unit": f"{unit.name} 已停用"})
    holder = {"unit": unit} if unit is not None else {"person": person}
    if (
        Registration.objects.select_for_update()
        .filter(community=community, status="active", **holder)
        .exists()
    ):
        name = unit.name if unit is not None else person.name  # type: ignore[union-attr]
        raise ValidationError(
            {"unit" if unit is not None else "person": f"{name} 已在{community.name}报到，不能重复报到"}
        )
    registration = Registration.objects.create(
        community=community, registered_at=clock.now(), note=note.strip()[:200], reviewed_by=actor, **holder
    )
    record(
        actor=actor,
        action="register",
        obj=registration,
        summary=f"{registration.registrant_name} 到{community.name}报到",
    )
    return registration


@transaction.atomic
def registration_end(*, actor, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not community_staff_of(Scope.of(actor), registration.community):
        raise PermissionDenied("只有社区工作人员可以办理退出报到")
    REGISTRATIONS.check_state(registration, "end")
    registration.status = Registration.Status.ENDED
    registration.save(update_fields=["status"])
    registration.offers.update(is_active=False)
    record(actor=actor, action="end_registration", obj=registration, summary=f"{registration} 退出报到")
    return registration


# ---- 供给清单 -----------------------------------------------------------------------------------------------
@transaction.atomic
def offer_create(
    *,
    actor,
    registration: Registration,
    title: str,
    categories: Iterable[Category],
    capacity_per_month: int,
    base: Area,
    max_distance_km: Decimal | float | int = 3,
    when: str = "",
    skills: str = "",
    service_types: Iterable[str] = (),
) -> Offer:
    scope = Scope.of(actor)
    own = registration.unit_id in scope.unit_ids or (
        registration.person_id and registration.person == scope.person
    )
    if not (own or community_staff_of(scope, registration.community)):
        raise PermissionDenied("只有报到人或社区工作人员可以登记供给")
    REGISTRATIONS.check_state(registration, "offer")
    categories = list(categories)
    kinds = list(dict.fromkeys(service_types))
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = "请填写服务名称"
    if not categories:
        errors["categories"] = "请至少选择一个服务类别"
    if any(k not in ServiceType.values for k in kinds):
        errors["service_types"] = "请从列表中选择服务类型"
    if not isinstance(capacity_per_month, int) or capacity_per_month < 1:
        errors["capacity_per_month"] = "每月可接单数至少为 1"
    elif capacity_per_month > 500:
        errors["capacity_per_month"] = "每月可接单数不能超过 500"
    distance = Decimal(str(max_distance_km))
    if not Decimal("0") <= distance <= Decimal("100"):
        errors["max_distance_km"] = "服务半径应在 0 到 100 公里之间"
    if not base.path.startswith(registration.community.path) and base.kind != Area.Kind.COMMUNITY:
        errors["base"] = "出发地应在报到社区内"
    if errors:
        raise ValidationError(errors)
    offer = Offer.objects.create(
        registration=registration,
        title=title.strip()[:100],
        capacity_per_month=capacity_per_month,
        base=base,
        max_distance_km=distance,
        when=when.strip()[:100],
        skills=skills.strip()[:200],
        service_types=kinds,
        created_at=clock.now(),
    )
    offer.categories.set(categories)
    record(actor=actor, action="create", obj=offer, summary=f"供给：{offer}")
    return offer


@transaction.atomic
def offer_set_active(*, actor, offer: Offer, active: bool) -> Offer:
    offer = Offer.objects.select_for_update().select_related("registration__community").get(pk=offer.pk)
    scope = Scope.of(actor)
    if not (
        offer.registration.unit_id in scope.unit_ids
        or community_staff_of(scope, offer.registration.community)
    ):
        raise PermissionDenied("您不能修改这条供给")
    offer.is_active = active
    offer.save(update_fields=["is_active"])
    record(actor=actor, action="activate" if active else "deactivate", obj=offer, summary=str(offer))
    return offer


# ---- 需求清单 -----------------------------------------------------------------------------------------------
@transaction.atomic
def need_create(
    *,
    actor,
    community: Area,
    category: Category | None,
    title: str,
    description: str = "",
    person: Person | None = None,
    group: str = "",
    building: Building | None = None,
    priority: int = 0,
    source_appeal: Appeal | None = None,
    service_type: str = "",
) -> Need:
    _check_community(community)
    if not community_staff_of(Scope.of(actor), community):
        raise PermissionDenied("只有社区工作人员可以登记需求")
    errors: dict[str, str] = {}
    if category is None:
        errors["category"] = "请选择需求类别"
    if not (title or "").strip():
        errors["title"] = "请填写需求"
    if person is None and not group.strip():
        errors["group"] = "请选择需求人，或填写需求群体（例如：3 号楼的独居老人）"
    if building is not None and not building.grid.path.startswith(community.path):
        errors["building"] = "楼栋不在该社区内"
    if not isinstance(priority, int) or not 0 <= priority <= 3:
        errors["priority"] = "优先级为 0 到 3"
    if service_type and service_type not in ServiceType.values:
        errors["service_type"] = "请从列表中选择服务类型"
    if errors or category is None:
        raise ValidationError(errors)
    need = Need.objects.create(
        community=community,
        category=category,
        service_type=service_type,
        title=title.strip()[:120],
        description=description.strip()[:2000],
        person=person,
        group=group.strip()[:100],
        building=building,
        grid=building.grid if building else None,
        priority=priority,
        source_appeal=source_appeal,
        created_at=clock.now(),
        created_by=actor,
    )
    record(actor=actor, action="create", obj=need, summary=f"需求：{need.title}")
    return need


@transaction.atomic
def need_from_appeal(*, actor, appeal: Appeal, priority: int = 0, service_type: str = "") -> Need:
    """A self-handled appeal (受理自办) becomes a need; the appeal itself is later dispatched as its service order."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("community", "category")
        .get(pk=appeal.pk)
    )
    if appeal.triage_kind != TriageKind.SELF_HANDLE:
        raise ValidationError({"appeal": "只有分类为“受理自办”的诉求才能转为需求"})
    if appeal.status not in ("submitted", "returned"):
        raise ValidationError({"appeal": f"该诉求当前“{appeal.get_status_display()}”，不能转为需求"})
    if Need.objects.filter(source_appeal=appeal).exists():
        raise ValidationError({"appeal": "该诉求已转为需求"})
    return need_create(
        actor=actor,
        community=appeal.community,
        category=appeal.category,
        title=appeal.title,
        description=appeal.body,
        person=appeal.raised_by,
        building=appeal.building,
        priority=priority,
        source_appeal=appeal,
        service_type=service_type,
    )


# ---- 志愿队 -------------------------------------------------------------------------------------------------
@transaction.atomic
def team_create(*, actor, community: Area, name: str, kind: str, leader: Person) -> VolunteerTeam:
    _check_community(community)
    if not community_staff_of(Scope.of(actor), community):
        raise PermissionDenied("只有社区工作人员可以组建队伍")
    if kind not in VolunteerTeam.Kind.values:
        raise ValidationError({"kind": "请选择队伍类型"})
    if not name.strip():
        raise ValidationError({"name": "请填写队名"})
    if VolunteerTeam.objects.filter(community=community, name=name.strip()).exists():
        raise ValidationError({"name": f"{community.name}已有名为“{name.strip()}”的队伍"})
    if kind == VolunteerTeam.Kind.PARTY_COMMANDO and not leader.is_party_member:
        raise ValidationError({"leader": "党员突击队的队长须是党员"})
    team = VolunteerTeam.objects.create(
        community=community, name=name.strip()[:100], kind=kind, leader=leader, created_at=clock.now()
    )
    team.members.add(leader)
    record(actor=actor, action="create", obj=team, summary=f"组建{team.get_kind_display()} {team.name}")
    return team


@transaction.atomic
def team_add_members(*, actor, team: VolunteerTeam, members: Iterable[Person]) -> VolunteerTeam:
    team = VolunteerTeam.objects.select_for_update().get(pk=team.pk)
    if not community_staff_of(Scope.of(actor), team.community):
        raise PermissionDenied("只有社区工作人员可以管理队员")
    members = list(members)
    if team.kind == VolunteerTeam.Kind.PARTY_COMMANDO:
        not_party = [p.name for p in members if not p.is_party_member]
        if not_party:
            raise ValidationError({"members": f"党员突击队只收党员：{'、'.join(not_party)}"})
    team.members.add(*members)
    record(actor=actor, action="add_members", obj=team, summary=f"{team.name} 新增队员 {len(members)} 人")
    return team


@transaction.atomic
def activity_record(
    *,
    actor,
    team: VolunteerTeam,
    title: str,
    held_on: date,
    minutes_each: int,
    participants: Iterable[Person],
    place: str = "",
):
    """A team's volunteer service day, recorded afterwards: an activity of kind 志愿服务 (``activities``) whose
    participants are checked in and credited with ``minutes_each``."""
    from activities import services as activity_services
    from activities.models import Activity

    if not community_staff_of(Scope.of(actor), team.community):
        raise PermissionDenied("只有社区工作人员可以记录活动")
    participants = list(participants)
    members = set(team.members.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写活动名称"
    if not isinstance(minutes_each, int) or not 1 <= minutes_each <= 24 * 60:
        errors["minutes_each"] = "每人时长应在 1 到 1440 分钟之间"
    if not participants:
        errors["participants"] = "请选择参加的队员"
    elif any(p.pk not in members for p in participants):
        errors["participants"] = "参加者须是本队队员"
    if held_on > clock.now().date():
        errors["held_on"] = "不能记录未来的活动"
    if errors:
        raise ValidationError(errors)
    starts_at = timezone.make_aware(datetime.combine(held_on, time(9)))
    activity = activity_services.activity_record(
        user=actor,
        community=team.community,
        kind=Activity.Kind.VOLUNTEER,
        title=title,
        starts_at=starts_at,
        minutes_each=minutes_each,
        participants=participants,
        place=place,
        team=team,
        organiser=team.name,
    )
    record(
        actor=actor,
        action="activity",
        obj=activity,
        summary=f"{team.name}：{activity.title}（{len(participants)} 人）",
    )
    return activity
