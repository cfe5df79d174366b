"""Demo 三库联动 for the main demo community: registrations (双报到) of units and party members with their
offers, an earlier matching round whose service orders were served and rated (so the figures of service orders
have history), open needs waiting for this month's round, and a 党员突击队 with its activities. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appeals.selectors import units_serving
from areas.models import Area
from categories.models import Category
from linli import clock
from needs import services
from needs.models import Registration
from people.models import HouseholdMember, Person
from units.models import Unit

SEED = 8300  # 8,300 needs in the 商州 report

# (unit kind, word in its name or "" for any) -> (offer, category codes, service types, capacity, radius km)
UNIT_OFFERS: list[tuple[str, str, tuple[str, list[str], list[str], int, int]]] = [
    (Unit.Kind.SOCIAL_ORG, "", ("助老上门探访", ["LDSB-YLFW", "CXJS-SQFW"], ["care_visit"], 8, 5)),
    (
        Unit.Kind.PROPERTY_MANAGER,
        "",
        ("楼道设施小修", ["CXJS-WYGL", "CXJS-SZSS", "CXJS-SQFW"], ["facility", "home_repair"], 10, 2),
    ),
    (
        Unit.Kind.DEPARTMENT,
        "人力资源",
        ("就业社保政策进社区", ["LDSB-SHBX", "LDSB-JYPX"], ["policy"], 4, 10),
    ),
    (Unit.Kind.DEPARTMENT, "卫生", ("家庭医生上门随访", ["WSJS-YLFW", "WSJS-GGWS"], ["health"], 6, 10)),
    (
        Unit.Kind.DEPARTMENT,
        "民政",
        ("困难群众帮扶", ["LDSB-SHJZ", "LDSB-YLFW"], ["relief", "care_visit"], 4, 10),
    ),
    (Unit.Kind.ENTERPRISE, "超市", ("送货上门 · 代购", ["LDSB-YLFW"], ["errands"], 6, 5)),
    (Unit.Kind.UTILITY, "供电", ("用电安全检查", ["CXJS-GD", "CXJS-SQFW"], ["electrical_safety"], 5, 10)),
]


def _unit_offer(unit: Unit) -> tuple[str, list[str], list[str], int, int] | None:
    for kind, word, offer in UNIT_OFFERS:
        if unit.kind == kind and word in unit.name:
            return offer
    return None


# (offer, category codes, service types): the service types are what lets a need meet an offer.
MEMBER_OFFERS = [
    ("陪同就医", ["WSJS-YLFW", "LDSB-YLFW"], ["medical_escort"]),
    ("代购代办", ["LDSB-YLFW"], ["errands"]),
    ("法律咨询", ["CXJS-LLJF"], ["legal"]),
    ("课业辅导", ["JYWT-XWTG"], ["childcare"]),
    ("电脑手机教学", ["JYWT-WTHD", "LDSB-YLFW"], ["digital"]),
    ("水电小修", ["CXJS-SQFW", "CXJS-WYGL"], ["home_repair"]),
]
# (need, category, service type, "person" if one resident's or "" for a group, priority)
NEEDS = [
    ("独居老人每周助餐送餐", "LDSB-YLFW", "care_visit", "", 3),
    ("陪同行动不便老人去医院复查", "WSJS-YLFW", "medical_escort", "person", 2),
    ("楼道感应灯更换", "CXJS-WYGL", "facility", "", 1),
    ("双职工家庭孩子放学后托管", "JYWT-XWTG", "childcare", "", 1),
    ("老年人智能手机使用培训", "JYWT-WTHD", "digital", "", 0),
    ("失业人员就业政策咨询", "LDSB-JYPX", "policy", "", 0),
    ("邻里噪音纠纷需要法律意见", "CXJS-LLJF", "legal", "person", 1),
    ("高龄老人代缴水电费", "LDSB-YLFW", "errands", "person", 2),
    ("家里水龙头漏水需要上门修", "CXJS-SQFW", "home_repair", "person", 1),
    ("社保转移手续咨询", "LDSB-SHBX", "policy", "person", 0),
    ("残疾人家庭定期探访", "LDSB-YLFW", "care_visit", "", 2),
    ("小区健身器材检修", "CXJS-SQFW", "facility", "", 0),
]
# An earlier round: (need, category, who serves it: "property" = the property manager, "member" = the demo
# party member; days after the round when it was completed, or None if still being served; satisfaction).
PAST_NEEDS = [
    ("单元门禁损坏需要维修", "CXJS-WYGL", "property", 2, "satisfied"),
    ("楼道扶手松动", "CXJS-WYGL", "property", 3, "satisfied"),
    ("地下车库照明不足", "CXJS-WYGL", "property", 6, "basically_satisfied"),
    ("陪同老人去社区医院体检", "WSJS-YLFW", "member", 1, "basically_satisfied"),
    ("楼顶水箱清洗", "CXJS-WYGL", "property", None, ""),
]
PAST_SERVICE = {"property": "facility", "member": "medical_escort"}
GROUPS = ["独居老人", "双职工家庭", "高龄老人", "失业人员", "残疾人家庭", "全体居民"]


def _past_round(community: Area, staff, cats: dict, residents: list[Person], when) -> None:
    """Needs of two months ago matched, dispatched and served through the real services at their own dates."""
    from appeals import services as appeal_services
    from needs import rounds
    from needs.models import Offer

    User = get_user_model()
    serving = {
        "property": (User.objects.get(username="property"), "楼道设施小修"),
        "member": (User.objects.get(username="partymember"), "陪同就医"),
    }
    mine: dict[str, dict[str, Any]] = {
        "property": {"registration__unit__in": serving["property"][0].role_assignments.values("unit")},
        "member": {"registration__person__user": serving["member"][0]},
    }
    offers = {
        key: Offer.objects.get(registration__community=community, title=serving[key][1], **mine[key])
        for key in serving
    }
    with clock.at(when):
        for i, (title, code, who, *_rest) in enumerate(PAST_NEEDS):
            person = residents[(i * 7) % len(residents)] if residents else None
            services.need_create(
                actor=staff,
                community=community,
                category=cats.get(code),
                service_type=PAST_SERVICE[who],
                title=title,
                person=person,
                group="" if person else "全体居民",
            )
        round_ = rounds.match_round_run(actor=staff, community=community)
        wanted = {title: who for title, _, who, *_rest in PAST_NEEDS}
        for proposal in round_.proposals.select_related("need", "offer"):
            offer = offers[wanted[proposal.need.title]]
            if proposal.offer_id != offer.pk:
                rounds.proposal_adjust(actor=staff, proposal_id=proposal.pk, offer=offer)
        orders = {o.title: o for o in rounds.round_dispatch(actor=staff, round_id=round_.pk)}
    for title, _, who, days, satisfaction in PAST_NEEDS:
        order, user = orders.get(title), serving[who][0]
        if order is None:
            continue
        with clock.at(when + timedelta(hours=3)):
            appeal_services.appeal_accept(user=user, appeal_id=order.pk)
        if days is None:
            continue
        with clock.at(when + timedelta(days=days)):
            appeal_services.appeal_log_time(
                user=user, appeal_id=order.pk, minutes=60 * (1 + days % 3), note=title
            )
            appeal_services.appeal_complete(user=user, appeal_id=order.pk, report=f"{title}：已处理完毕")
        with clock.at(when + timedelta(days=days + 1)):  # the community's follow-up call (回访)
            appeal_services.appeal_rate(
                user=staff, appeal_id=order.pk, resolved=True, satisfaction=satisfaction, comment="电话回访"
            )


def load_demo_needs(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if Registration.objects.filter(community=community).exists():
        return 0
    rng = random.Random(SEED)
    User = get_user_model()
    staff = User.objects.get(username="community")
    cats = {c.code: c for c in Category.objects.all()}
    start = clock.now() - timedelta(days=60)
    residents = list(
        Person.objects.filter(
            memberships__household__building__grid__path__startswith=community.path, user__isnull=True
        )
        .distinct()
        .order_by("id")
    )
    with transaction.atomic(), clock.at(start):
        for unit in units_serving(community):
            offer = _unit_offer(unit)
            if offer is not None:
                title, codes, kinds, capacity, radius = offer
                registration = services.registration_create(actor=staff, community=community, unit=unit)
                services.offer_create(
                    actor=staff,
                    registration=registration,
                    title=title,
                    service_types=kinds,
                    capacity_per_month=capacity,
                    categories=[cats[c] for c in codes if c in cats],
                    base=community,
                    max_distance_km=radius,
                    when="工作日白天",
                )
        members = [Person.objects.get(user__username="partymember")]
        members += list(
            Person.objects.filter(is_party_member=True, community=community, user__isnull=True).order_by(
                "id"
            )[:7]
        )
        grids = list(
            Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path")
        )
        for i, member in enumerate(members):
            registration = services.registration_create(actor=staff, community=community, person=member)
            title, codes, kinds = MEMBER_OFFERS[i % len(MEMBER_OFFERS)]
            services.offer_create(
                actor=staff,
                registration=registration,
                title=title,
                service_types=kinds,
                capacity_per_month=rng.choice([1, 2, 2, 3]),
                categories=[cats[c] for c in codes if c in cats],
                base=grids[i % len(grids)],
                max_distance_km=rng.choice([2, 3, 3, 5]),
                when=rng.choice(["周末上午", "工作日晚上", "周六全天"]),
            )
        _past_round(community, staff, cats, residents, start + timedelta(days=1))
        for title, code, kind, who, priority in NEEDS:
            person = rng.choice(residents) if who == "person" and residents else None
            home = HouseholdMember.objects.filter(person=person).select_related("household__building").first()
            services.need_create(
                actor=staff,
                community=community,
                category=cats.get(code),
                service_type=kind,
                title=title,
                person=person,
                group="" if person else rng.choice(GROUPS),
                priority=priority,
                building=home.household.building if home else None,
            )
        leader = members[0]
        team = services.team_create(
            actor=staff,
            community=community,
            name=f"{community.name}党员突击队",
            kind="party_commando",
            leader=leader,
        )
        services.team_add_members(actor=staff, team=team, members=members[1:])
        for weeks, title in [(7, "清理楼道堆积杂物"), (4, "防汛排查"), (1, "独居老人冬季走访")]:
            day = start + timedelta(weeks=weeks)
            with clock.at(day + timedelta(hours=10)):
                services.activity_record(
                    actor=staff,
                    team=team,
                    title=title,
                    held_on=timezone.localtime(day).date(),
                    minutes_each=rng.choice([90, 120, 180]),
                    participants=members[: rng.randint(3, len(members))],
                    place=community.name,
                )
    if stdout:
        stdout.write(
            f"演示三库联动：{len(members)} 名党员与 {Registration.objects.filter(unit__isnull=False).count()} 家单位报到，"
            f"{len(NEEDS)} 项需求待匹配\n"
        )
    return len(NEEDS)
