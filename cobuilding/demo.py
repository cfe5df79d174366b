"""共建 and the party tree: the demo district's records, made through the services.

Secretaries for every community committee and grid branch, 楼栋党小组 in buildings where party members live
(not all of them, so coverage is below 100 %), the party members of those buildings organised in their group,
and a co-building agreement with pledges for every co-building link the district already has.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Area, Building
from cobuilding.models import Agreement, Pledge
from cobuilding.party_services import party_member_assign, party_org_add_child
from cobuilding.services import agreement_create, pledge_add
from people.models import Person
from units.models import CoBuildingLink, PartyOrg, Unit
from units.services import party_org_update

PLEDGES: dict[str, list[tuple[str, str, int, int, int]]] = {
    # unit kind -> (pledge kind, description, amount in yuan, people, hours a year)
    Unit.Kind.DEPARTMENT: [
        (Pledge.Kind.SERVICE, "每季度进社区开展政策宣讲和业务咨询", 0, 0, 48),
        (Pledge.Kind.PEOPLE, "党员干部下沉社区，参与网格服务", 0, 6, 240),
    ],
    Unit.Kind.ENTERPRISE: [
        (Pledge.Kind.MONEY, "资助社区“微心愿”和困难群众帮扶", 20000, 0, 0),
        (Pledge.Kind.PLACE, "开放单位活动室，供社区开展活动", 0, 0, 0),
        (Pledge.Kind.PEOPLE, "组建党员志愿服务队", 0, 8, 160),
    ],
    Unit.Kind.UTILITY: [
        (Pledge.Kind.SERVICE, "水电气设施义务检修进楼院", 0, 0, 96),
        (Pledge.Kind.PEOPLE, "党员突击队应急抢修", 0, 5, 80),
    ],
    Unit.Kind.SOCIAL_ORG: [
        (Pledge.Kind.SERVICE, "“一老一小”关爱服务项目", 0, 0, 300),
        (Pledge.Kind.MONEY, "公益创投配套资金", 8000, 0, 0),
    ],
    Unit.Kind.POLICE: [(Pledge.Kind.SERVICE, "每月一次反诈宣传和矛盾纠纷排查", 0, 0, 60)],
    Unit.Kind.PROPERTY_MANAGER: [(Pledge.Kind.SERVICE, "红色物业：小区公共部位维修和环境整治", 0, 0, 120)],
}


def _admin():
    return get_user_model().objects.filter(username="admin").first()


def _party_members_in(area: Area):
    return Person.objects.filter(
        is_party_member=True, memberships__household__building__grid__path__startswith=area.path
    ).order_by("id")


def _fill_party_tree(admin, rng: random.Random) -> int:
    made = 0
    for org in PartyOrg.objects.filter(
        area__isnull=False, unit__isnull=True, kind__in=["committee", "branch"]
    ):
        if org.area is None or org.area.kind not in ("community", "grid") or org.secretary_id:
            continue
        secretary = _party_members_in(org.area).first()
        if secretary is not None:
            party_org_update(actor=admin, org=org, secretary=secretary)
    # 楼栋党小组: the main community's groups are named after a building; others are founded where members live.
    for group in PartyOrg.objects.filter(kind=PartyOrg.Kind.GROUP, building__isnull=True, area__isnull=False):
        building = Building.objects.filter(grid=group.area, name=group.name.removesuffix("党小组")).first()
        if building is not None:
            party_org_update(actor=admin, org=group, building=building)
    for branch in PartyOrg.objects.filter(kind=PartyOrg.Kind.BRANCH, area__kind=Area.Kind.GRID).order_by(
        "code"
    ):
        buildings = list(
            Building.objects.filter(grid=branch.area, households__memberships__person__is_party_member=True)
            .exclude(party_groups__isnull=False)
            .distinct()
            .order_by("code")
        )
        assert branch.area is not None
        for building in buildings[: rng.randint(0, 2)]:
            secretary = (
                _party_members_in(branch.area).filter(memberships__household__building=building).first()
            )
            party_org_add_child(
                user=admin,
                parent_id=branch.pk,
                name=f"{building.name}党小组",
                building_id=building.pk,
                secretary_id=secretary.pk if secretary else None,
            )
            made += 1
    for group in PartyOrg.objects.filter(kind=PartyOrg.Kind.GROUP, building__isnull=False):
        members = Person.objects.filter(is_party_member=True, memberships__household__building=group.building)
        for person in members.exclude(party_org=group).distinct():
            party_member_assign(user=admin, org_id=group.pk, person_id=person.pk)
    return made


def _agreements(admin, rng: random.Random) -> int:
    made = 0
    links = CoBuildingLink.objects.filter(party_org__unit__isnull=False).select_related(
        "party_org__unit", "community"
    )
    for link in links.order_by("community__path", "party_org__code"):
        unit = link.party_org.unit
        assert unit is not None
        agreement = agreement_create(
            user=admin,
            community=link.community,
            unit=unit,
            party_org=link.party_org,
            title=f"{unit.name}与{link.community.name}党建共建协议",
            starts_on=link.since,
            ends_on=date(max(link.since.year + 3, 2027), 12, 31),
        )
        for kind, description, yuan, people, hours in PLEDGES.get(unit.kind, PLEDGES[Unit.Kind.SOCIAL_ORG]):
            pledge_add(
                user=admin,
                agreement_id=agreement.pk,
                kind=kind,
                description=description,
                amount_fen=yuan * 100 * rng.randint(1, 3),
                people=people,
                hours_per_year=hours,
            )
        made += 1
    return made


def load_demo_cobuilding(demo: Any, stdout: TextIO | None = None) -> int:
    if Agreement.objects.exists():
        return 0
    admin = _admin()
    rng = random.Random(20231208)
    with transaction.atomic():
        groups = _fill_party_tree(admin, rng)
        agreements = _agreements(admin, rng)
    if stdout is not None:
        stdout.write(f"共建：楼栋党小组 {groups} 个，共建协议 {agreements} 份\n")
    return groups + agreements
