"""Reads of 三库联动, scoped: registrations, offers and needs of the communities a user works in."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum

from access.models import Role
from access.scope import Scope, any_of
from activities.models import Attendance
from appeals.models import Appeal, Satisfaction, Status
from linli import clock
from needs.models import MatchRound, Need, Offer, Registration, VolunteerTeam

WORKING_ROLES = {
    Role.COMMUNITY_STAFF,
    Role.SUBDISTRICT_STAFF,
    Role.DISTRICT_LEADER,
    Role.GRID_WORKER,
    Role.GRID_LEADER,
}
LIVE_ORDER = ~Q(status__in=[Status.WITHDRAWN, Status.MERGED])


def _communities_q(scope: Scope, field: str = "community") -> Q:
    if scope.is_admin:
        return Q()
    nodes = scope.nodes(WORKING_ROLES)
    conditions = [Q(**{f"{field}__path__startswith": n.path}) for n in nodes if n.kind != "grid"]
    conditions += [Q(**{f"{field}_id__in": n.ancestor_ids()}) for n in nodes if n.kind in ("grid", "zone")]
    return any_of(conditions)


def registrations(scope: Scope) -> QuerySet[Registration]:
    own = Q(unit_id__in=scope.unit_ids) | (Q(person=scope.person) if scope.person else Q(pk__in=[]))
    return Registration.objects.filter(_communities_q(scope) | own).select_related(
        "community", "unit", "person"
    )


def offers(scope: Scope) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(registration__in=registrations(scope))
        .select_related("registration__unit", "registration__person", "registration__community", "base")
        .prefetch_related("categories")
    )


def needs(scope: Scope) -> QuerySet[Need]:
    return Need.objects.filter(_communities_q(scope)).select_related(
        "category", "person", "building", "community"
    )


def rounds(scope: Scope) -> QuerySet[MatchRound]:
    return MatchRound.objects.filter(_communities_q(scope)).select_related("community")


def teams(scope: Scope) -> QuerySet[VolunteerTeam]:
    return VolunteerTeam.objects.filter(_communities_q(scope)).select_related("leader", "community")


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def used_this_month(offer_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """Orders each offer has taken since the first of this month (withdrawn and merged ones don't count)."""
    start = month_start(now or clock.now())
    rows = (
        Appeal.objects.filter(LIVE_ORDER, offer_id__in=offer_ids, dispatched_at__gte=start)
        .values("offer_id")
        .annotate(n=Count("id"))
    )
    return {r["offer_id"]: r["n"] for r in rows}


SCORES: dict[str, int] = {Satisfaction.SATISFIED: 5, Satisfaction.BASICALLY: 4, Satisfaction.UNSATISFIED: 1}


def provider_ratings(offer_list: list[Offer]) -> dict[str, float]:
    """Average rating (5 satisfied, 4 basically, 1 unsatisfied) of each provider's rated orders; 4.0 if none."""
    unit_ids = [o.registration.unit_id for o in offer_list if o.registration.unit_id]
    person_ids = [o.registration.person_id for o in offer_list if o.registration.person_id]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rated = Appeal.objects.exclude(satisfaction="").filter(
        Q(unit_id__in=unit_ids) | Q(provider_id__in=person_ids)
    )
    for unit_id, provider_id, satisfaction in rated.values_list("unit_id", "provider_id", "satisfaction"):
        key = f"person:{provider_id}" if provider_id else f"unit:{unit_id}"
        totals[key][0] += SCORES.get(satisfaction, 3)
        totals[key][1] += 1
    return {key: total / count for key, (total, count) in totals.items() if count}


def provider_record(*, unit_id: int | None = None, person_id: int | None = None) -> dict:
    """A unit's or party member's record of service orders: taken, done, hours, ratings."""
    orders = Appeal.objects.filter(LIVE_ORDER, offer__isnull=False)
    orders = orders.filter(unit_id=unit_id) if unit_id else orders.filter(provider_id=person_id)
    summary = orders.aggregate(
        taken=Count("id"),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        minutes=Sum("service_minutes"),
        satisfied=Count("id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        rated=Count("id", filter=~Q(satisfaction="")),
    )
    volunteer = (
        Attendance.objects.filter(person_id=person_id, minutes__gt=0).aggregate(
            m=Sum("minutes"), n=Count("id")
        )
        if person_id
        else {"m": 0, "n": 0}
    )
    summary["minutes"] = summary["minutes"] or 0
    summary["volunteer_minutes"] = volunteer["m"] or 0
    summary["volunteer_activities"] = volunteer["n"] or 0
    summary["hours"] = round((summary["minutes"] + summary["volunteer_minutes"]) / 60, 1)
    summary["recent"] = list(orders.select_related("community").order_by("-dispatched_at")[:20])
    return summary


def team_minutes(team: VolunteerTeam) -> list[tuple[str, int, int]]:
    """(member name, activities, minutes) for each member of a team: their credited attendance at the team's
    activities (``activities.Attendance``)."""
    served = Q(attendances__activity__team=team, attendances__checked_in_at__isnull=False)
    rows = (
        team.members.annotate(
            n=Count("attendances", filter=served),
            m=Sum("attendances__minutes", filter=served),
        )
        .order_by("-m", "name")
        .values_list("name", "n", "m")
    )
    return [(name, n, m or 0) for name, n, m in rows]


def provider_month_records(area_path: str, start: datetime, end: datetime) -> list[dict]:
    """Service orders dispatched in [start, end) under an area, by provider: for the monthly report."""
    orders = Appeal.objects.filter(
        LIVE_ORDER,
        offer__isnull=False,
        area_path__startswith=area_path,
        dispatched_at__gte=start,
        dispatched_at__lt=end,
    )
    rows = (
        orders.values("unit__name", "provider__name")
        .annotate(
            taken=Count("id"),
            closed=Count("id", filter=Q(status=Status.CLOSED)),
            minutes=Sum("service_minutes"),
            satisfied=Count(
                "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
            ),
            rated=Count("id", filter=~Q(satisfaction="")),
        )
        .order_by("-taken", "unit__name", "provider__name")
    )
    return [
        {
            "name": r["unit__name"] or r["provider__name"] or "",
            "kind": "单位" if r["unit__name"] else "在职党员",
            "taken": r["taken"],
            "closed": r["closed"],
            "hours": round((r["minutes"] or 0) / 60, 1),
            "satisfaction": f"{r['satisfied'] * 100 // r['rated']}%" if r["rated"] else "—",
        }
        for r in rows
    ]
