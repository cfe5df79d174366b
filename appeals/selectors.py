"""Reads of appeals, always through the user's scope."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope, any_of
from appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Status, WhistlePart
from areas.models import Area
from linli import clock
from units.models import Unit


def visible_appeals(scope: Scope) -> QuerySet[Appeal]:
    """Area staff see their subtree; building heads their building; unit staff what was sent to their unit
    (dispatched to it, whistled to it (吹哨, from the moment it is summoned), or handled by it before);
    a 街长 the appeals on their streets; residents what they raised or follow."""
    qs = Appeal.objects.all()
    if scope.is_admin:
        return qs
    conditions = [Q(area_path__startswith=n.path) for n in scope.nodes(AREA_STAFF_ROLES)]
    if scope.building_ids:
        conditions.append(Q(building_id__in=scope.building_ids))
    if scope.street_ids:
        conditions.append(Q(street_id__in=scope.street_ids))
    if scope.unit_ids:
        conditions.append(Q(unit_id__in=scope.unit_ids))
        conditions.append(
            Q(pk__in=AppealEvent.objects.filter(unit_id__in=scope.unit_ids).values("appeal_id"))
        )
        conditions.append(
            Q(pk__in=WhistlePart.objects.filter(unit_id__in=scope.unit_ids).values("appeal_id"))
        )
    person = scope.person
    if person is not None:
        conditions.append(Q(raised_by=person))
        conditions.append(Q(provider=person))
        conditions.append(
            Q(pk__in=Appeal.followers.through.objects.filter(person=person).values("appeal_id"))
        )
    return qs.filter(any_of(conditions))


def dispatchable_units(appeal: Appeal) -> QuerySet[Unit]:
    return units_serving(appeal.community)


def units_serving(community: Area) -> QuerySet[Unit]:
    """Active units serving the community or any area above it, and the community's own units."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(areas_served__in=community.ancestor_ids()) | Q(home_area__path__startswith=community.path))
        .distinct()
        .order_by("kind", "code")
    )


def units_for_dispatcher(scope: Scope) -> QuerySet[Unit]:
    """Units this user may dispatch to anywhere in their scope (``GET /api/units/``)."""
    nodes = scope.nodes({Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF, Role.DISTRICT_LEADER})
    if scope.is_admin:
        return Unit.objects.filter(is_active=True).order_by("kind", "code")
    if not nodes:
        return Unit.objects.none()
    ancestor_ids: set[int] = set()
    for n in nodes:
        ancestor_ids.update(n.ancestor_ids())
    below = Area.objects.filter(any_of([Q(path__startswith=n.path) for n in nodes]))
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(areas_served__in=ancestor_ids) | Q(areas_served__in=below) | Q(home_area__in=below))
        .distinct()
        .order_by("kind", "code")
    )


# "Counted in X" filters other apps offer on the queue (evaluation registers its measures): name -> (label,
# a function returning the condition). Kept as a registry so this module does not import those apps.
QUEUE_MEASURES: dict[str, tuple[str, Callable[[], Q]]] = {}


@dataclass
class QueueFilters:
    status: str = ""
    overdue: bool = False
    category: int | None = None
    grid: int | None = None
    unit: int | None = None
    community: int | None = None
    q: str = ""
    sort: str = "deadline"
    area: int | None = None  # any node of the tree: its whole subtree
    month_from: date | None = None  # submitted in this month or later (first day of a month)
    month_to: date | None = None  # submitted in this month or earlier
    channel: str = ""
    measure: str = ""  # a key of QUEUE_MEASURES
    kind: str = ""  # appeals or 三库联动 service orders (both when empty)
    whistle: str = (
        ""  # a key of WHISTLE_FILTERS: whistled appeals whose part (the user's unit's) is at that step
    )

    @classmethod
    def from_query(cls, params: Mapping[str, str], default_status: str = "open") -> QueueFilters:
        """The filters of a page's query string (malformed values are dropped): ``appeals.filters``."""
        from appeals.filters import queue_filters

        return queue_filters(params, default_status=default_status, strict=False)


def _month_start(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month.replace(day=1), time.min))


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


# 吹哨报到 filters of the queue: a summoned unit's staff find what waits for their unit; others see every unit's.
WHISTLE_FILTERS = {
    WhistlePart.PartStatus.SUMMONED.value: "待报到",
    WhistlePart.PartStatus.REPORTED.value: "已报到，待完成",
}


def _whistle_condition(scope: Scope, part_status: str) -> Q:
    parts = WhistlePart.objects.filter(status=part_status)
    if scope.unit_ids:
        parts = parts.filter(unit_id__in=scope.unit_ids)
    return Q(pk__in=parts.values("appeal_id"))


SORTS = {
    "deadline": ("resolve_due", "id"),
    "newest": ("-submitted_at", "-id"),
    "oldest": ("submitted_at", "id"),
}


def queue(scope: Scope, filters: QueueFilters) -> QuerySet[Appeal]:
    qs = visible_appeals(scope)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status in Status.values:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(Q(contact_overdue=True) | Q(resolve_overdue=True), status__in=OPEN_STATUSES)
    if filters.category:
        qs = qs.filter(
            Q(category_id=filters.category)
            | Q(category__parent_id=filters.category)
            | Q(category__parent__parent_id=filters.category)
        )
    if filters.grid:
        qs = qs.filter(grid_id=filters.grid)
    if filters.community:
        qs = qs.filter(community_id=filters.community)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.area:
        node = Area.objects.filter(pk=filters.area).only("path").first()
        qs = qs.filter(area_path__startswith=node.path) if node else qs.none()
    if filters.month_from:
        qs = qs.filter(submitted_at__gte=_month_start(filters.month_from))
    if filters.month_to:
        qs = qs.filter(submitted_at__lt=_month_start(_next_month(filters.month_to)))
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.whistle in WHISTLE_FILTERS:
        qs = qs.filter(_whistle_condition(scope, filters.whistle))
    if filters.measure in QUEUE_MEASURES:
        qs = qs.filter(QUEUE_MEASURES[filters.measure][1]())
    if filters.q:
        match = Q(title__icontains=filters.q)
        if filters.q.isdigit():
            match |= Q(pk=int(filters.q))
        qs = qs.filter(match)
    order = SORTS.get(filters.sort, SORTS["deadline"])
    parts = Prefetch("whistle_parts", queryset=WhistlePart.objects.select_related("unit").order_by("id"))
    return (
        qs.select_related("category", "community", "grid", "unit", "raised_by")
        .prefetch_related(parts)
        .order_by(*order)
    )


def _span(hours: int) -> str:
    return f"{hours // 24} 天" if hours >= 24 else f"{hours} 小时"


def due_label(appeal: Appeal) -> str:
    """The deadline in one phrase for queue rows and the detail page, each word once: "剩 3 天",
    "超过办结时限 2 天", or "联系超时，办结还剩 9 天" when only the first contact is late."""
    if appeal.status not in OPEN_STATUSES or appeal.resolve_due is None:
        return ""
    hours = int((appeal.resolve_due - clock.now()).total_seconds() // 3600)
    if hours < 0:
        return f"超过办结时限 {_span(-hours)}"
    if appeal.resolve_overdue:
        return "超过办结时限"
    if appeal.contact_overdue:
        return f"联系超时，办结还剩 {_span(hours)}"
    return f"剩 {_span(hours)}"


ANONYMOUS_NAME = "匿名居民"


def raiser_hidden(scope: Scope, appeal: Appeal) -> bool:
    """An anonymous appeal's raiser is known to the area's staff (grid, community and above, who keep the register
    and call back) and to the raiser; everybody else — a handling or summoned unit, a party member serving it, a
    building head, another resident — sees 匿名居民, no phone, and no name in the timeline."""
    if not appeal.is_anonymous or scope.is_admin:
        return False
    from appeals.workflow import actor_for

    actor = actor_for(scope, appeal)
    return not (actor.raiser or actor.dispatcher or actor.supervisor or actor.follow_up)
