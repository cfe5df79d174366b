"""What mediation adds to pages it does not own (``linli.sections``): the community's mediation force on the staff
page of an area, the 社区事务 card, and the figures on every area dashboard and in the monthly report. Nothing of
a dispute appears on the public community page."""

from __future__ import annotations

from django.db.models import Q

from access.models import Role, RoleAssignment
from access.scope import Scope
from areas.models import Area
from disputes.figures import disputes_table
from disputes.models import OPEN_STATUSES, Status
from disputes.scope import visible_cases, works_on_disputes
from disputes.selectors import my_cases
from notices.public import PublicSection
from people.models import Person
from web.hub import HubLink

FORCE_ROLES: list[str] = [
    Role.LEGAL_ADVISER,
    Role.COMMUNITY_POLICE,
    Role.MEDIATOR,
    Role.GRID_WORKER,
    Role.GRID_LEADER,
]


def mediation_force(request, scope: Scope, area: Area) -> PublicSection | None:
    """一社区一法律顾问、一社区一民警, the 人民调解员 and the grid workers of a community (or of a grid, with those
    held for its community): who they are and how to reach them (phones as ``Scope.phone_of`` allows)."""
    if area.kind not in (Area.Kind.COMMUNITY, Area.Kind.ZONE, Area.Kind.GRID):
        return None
    community = area.ancestor_of_kind(Area.Kind.COMMUNITY)
    where = Q(area__path__startswith=area.path)
    if community is not None and community.pk != area.pk:
        where |= Q(area=community)
    held = (
        RoleAssignment.objects.filter(where, role__in=FORCE_ROLES, user__is_active=True)
        .select_related("area", "user")
        .order_by("area__path", "role")
    )
    people = {p.user_id: p for p in Person.objects.filter(user_id__in=[a.user_id for a in held])}
    rows = []
    for a in sorted(held, key=lambda a: (FORCE_ROLES.index(a.role), a.area.path if a.area else "")):
        person = people.get(a.user_id)
        if person is None:
            continue
        rows.append(
            {
                "role": a.get_role_display(),
                "name": person.name,
                "where": a.holder_label,
                "phone": scope.phone_of(person),
            }
        )
    return PublicSection(
        key="mediation-force",
        title="调解力量：法律顾问、社区民警、人民调解员、网格员",
        template="disputes/section_force.html",
        context={"rows": rows, "area": area, "board": works_on_disputes(scope)},
    )


def disputes_card(request, scope: Scope) -> HubLink | None:
    if works_on_disputes(scope):
        waiting = (
            visible_cases(scope)
            .filter(
                Q(status=Status.REGISTERED)
                | Q(overdue=True, status__in=OPEN_STATUSES)
                | Q(may_escalate=True, status__in=OPEN_STATUSES)
            )
            .count()
        )
        return HubLink(
            title="矛盾纠纷调解",
            url="/disputes/",
            description="登记和受理纠纷，4+A 团队包案调解，协议签订、跟踪回访、结案；导出排查化解台账。",
            waiting=waiting,
            waiting_label="待受理、超时或可能激化",
        )
    if scope.person is not None:
        mine = my_cases(scope).filter(status__in=OPEN_STATUSES).count()
        return HubLink(
            title="纠纷调解",
            url="/disputes/mine/",
            description="邻里、家庭、物业等矛盾，申请社区人民调解，查看调解进展并评价。",
            waiting=mine or None,
            waiting_label="调解中",
        )
    return None


PUBLIC: list = []  # disputes are private: nothing on the public page
AREA = [mediation_force]
HUB = [disputes_card]
REPORT = [disputes_table]
