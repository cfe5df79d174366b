"""Who may vote in a vote, and the whole an owners' vote is measured against."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from areas.models import Household
from deliberation.models import Vote
from people.models import HouseholdMember, Person


def households_in_scope(vote: Vote) -> QuerySet[Household]:
    """The named buildings' flats, or every flat of the topic's community when no building is named."""
    buildings = list(vote.buildings.values_list("pk", flat=True))
    if buildings:
        return Household.objects.filter(building_id__in=buildings)
    return Household.objects.filter(building__grid__path__startswith=vote.topic.community.path)


def eligible_members(vote: Vote) -> QuerySet[HouseholdMember]:
    members = HouseholdMember.objects.filter(household__in=households_in_scope(vote))
    if vote.electorate == Vote.Electorate.OWNERS:
        members = members.filter(is_owner=True)
    return members


def voter_households(vote: Vote, person: Person) -> list[Household]:
    """The flats this person may vote for (usually one)."""
    return [
        m.household
        for m in eligible_members(vote)
        .filter(person=person)
        .select_related("household__building")
        .order_by("id")
    ]


def voter_key(vote: Vote, household: Household, person: Person | None) -> str:
    if vote.one_per_household or person is None:
        return f"h{household.pk}"
    return f"p{person.pk}"


def electorate_label(vote: Vote) -> str:
    names = "、".join(b.name for b in vote.buildings.all())
    who = {
        Vote.Electorate.BUILDINGS: "住户",
        Vote.Electorate.OWNERS: "业主",
        Vote.Electorate.RESIDENTS: "居民",
    }[Vote.Electorate(vote.electorate)]
    where = names or vote.topic.community.name
    return f"{where}的{who}" + ("（每户一票）" if vote.one_per_household else "（每人一票）")


def totals(vote: Vote) -> tuple[Decimal, int]:
    """Total floor area and number of flats (one flat, one owner: 民法典 278 counts exclusive parts)."""
    qs = households_in_scope(vote)
    # Summed here, not by the database: SQLite would sum the decimals as floats.
    areas = list(qs.values_list("floor_area", flat=True))
    return sum(areas, Decimal("0.00")), len(areas)


def eligible_count(vote: Vote) -> int:
    members = eligible_members(vote)
    if vote.one_per_household:
        return members.values("household").distinct().count()
    return members.values("person").distinct().count()
