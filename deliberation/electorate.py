"""Who may vote in a vote (the roll), who has voted and who not yet, and the whole an owners' vote is measured
against.

One roll serves the count line on the vote page, the result and the list of whom staff may enter a paper ballot
for, so they always agree: 可投票 = 已投票 + 未投票, and 未投票 are exactly those offered a paper ballot.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Seat:
    """One vote that may be cast: a flat's (one vote per flat) or a person's (one vote per person)."""

    key: str  # the ballot's voter_key
    household: Household
    person: Person | None
    registered: bool  # someone on the register may vote for it online; if not, only a paper ballot

    @property
    def value(self) -> str:
        """How a form names the seat: "<household id>" or "<household id>-<person id>"."""
        return f"{self.household.pk}-{self.person.pk}" if self.person else str(self.household.pk)

    @property
    def label(self) -> str:
        flat = f"{self.household.building.name} {self.household.number}（{self.household.floor_area} m²）"
        if self.person is not None:
            return f"{self.person.name} · {flat}"
        return flat if self.registered else f"{flat} · 未登记业主"


def roll(vote: Vote) -> list[Seat]:
    """Every vote that may be cast, in building and flat order. An owners' vote by flat counts every flat in scope
    (民法典 278 counts exclusive parts; an owner not on the register votes on paper); otherwise the flats, or the
    persons, of the members who may vote."""
    members = eligible_members(vote).select_related("household__building", "person")
    members = members.order_by("household__building__code", "household__number", "person_id")
    if not vote.one_per_household:
        seats: dict[str, Seat] = {}
        for m in members:
            key = voter_key(vote, m.household, m.person)
            seats.setdefault(key, Seat(key, m.household, m.person, True))
        return list(seats.values())
    registered = {m.household_id for m in members}
    if vote.electorate == Vote.Electorate.OWNERS:
        flats = list(
            households_in_scope(vote).select_related("building").order_by("building__code", "number")
        )
    else:
        flats = list(dict.fromkeys(m.household for m in members))
    return [Seat(voter_key(vote, h, None), h, None, h.pk in registered) for h in flats]


@dataclass(frozen=True)
class Turnout:
    by: str  # "户" (one vote per flat) or "人"
    may_vote: int  # 可投票: the roll, and anybody who voted and has since left it
    voted: int  # 已投票
    paper: int  # of which on paper
    waiting: list[Seat]  # 未投票, in order: those staff may enter a paper ballot for

    @property
    def not_voted(self) -> int:
        return len(self.waiting)

    @property
    def paper_only(self) -> int:
        """Flats not yet voted with nobody on the register to vote online for them."""
        return sum(1 for s in self.waiting if not s.registered)


def turnout(vote: Vote) -> Turnout:
    seats = roll(vote)
    cast = dict(vote.ballots.values_list("voter_key", "channel"))
    waiting = [s for s in seats if s.key not in cast]
    return Turnout(
        by="户" if vote.one_per_household else "人",
        may_vote=len({s.key for s in seats} | set(cast)),
        voted=len(cast),
        paper=sum(1 for channel in cast.values() if channel == "paper"),
        waiting=waiting,
    )
