"""Reads of 走访: the coverage of a round per grid, the households still to visit, the special groups' due dates.

Counting rules (the same on the pages, in the figures and in their recount tests):
- a household is *visited* in a round when it has a visit in which someone was met (``met``), on a day from the
  round's start to its end;
- a household is *overdue* when its grid's due date has passed and it has not been visited;
- a tagged household is *on time* at a moment when someone was met there within its tag's frequency before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from areas.models import Household
from visits.models import FREQUENCY_DAYS, HouseholdTag, Round, RoundGrid, Visit


def day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def window(rnd: Round, until: datetime | None = None) -> tuple[datetime, datetime]:
    """[start of the first day, end of the last day) of the round, cut at ``until``."""
    end = day_start(rnd.ends_on + timedelta(days=1))
    if until is not None:
        end = min(end, until)
    return day_start(rnd.starts_on), end


def households_of(rg: RoundGrid) -> QuerySet[Household]:
    return Household.objects.filter(building__grid=rg.grid)


def visited_ids(rg: RoundGrid, until: datetime | None = None) -> set[int]:
    start, end = window(rg.round, until)
    return set(
        Visit.objects.filter(grid=rg.grid, met=True, visited_at__gte=start, visited_at__lt=end).values_list(
            "household_id", flat=True
        )
    )


@dataclass
class GridCoverage:
    rg: RoundGrid
    households: int
    visited: int
    overdue: list[Household] = field(default_factory=list)
    todo: list[Household] = field(default_factory=list)

    @property
    def is_due(self) -> bool:
        return bool(self.overdue)


def grid_coverage(rg: RoundGrid, at: datetime, list_households: bool = True) -> GridCoverage:
    """Coverage of one grid in its round as of ``at``: visits counted up to ``at``."""
    done = visited_ids(rg, at)
    households = households_of(rg)
    total = households.count()
    visited = households.filter(pk__in=done).count()
    cov = GridCoverage(rg=rg, households=total, visited=visited)
    if list_households or rg.due_on < timezone.localtime(at).date():
        missing = list(households.exclude(pk__in=done).select_related("building")[:500])
        if rg.due_on < timezone.localtime(at).date():
            cov.overdue = missing
        else:
            cov.todo = missing
    return cov


def overdue_count(rg: RoundGrid, at: datetime) -> int:
    if rg.due_on >= timezone.localtime(at).date():
        return 0
    return households_of(rg).exclude(pk__in=visited_ids(rg, at)).count()


# ---- special groups -----------------------------------------------------------------------------------------
@dataclass
class CareDue:
    tag: HouseholdTag
    last_met: datetime | None
    due: date
    overdue: bool


def care_due(tags: QuerySet[HouseholdTag], at: datetime) -> list[CareDue]:
    """Each tag's last visit with someone met (before ``at``) and the day the next one is due, soonest first."""
    tags = tags.select_related("household__building")
    last = dict(
        Visit.objects.filter(household__in=tags.values("household"), met=True, visited_at__lt=at)
        .values("household")
        .annotate(last=Max("visited_at"))
        .values_list("household", "last")
    )
    out = []
    for t in tags:
        met = last.get(t.household_id)
        since = timezone.localtime(met).date() if met else t.since
        due = since + timedelta(days=FREQUENCY_DAYS[t.tag])
        out.append(CareDue(tag=t, last_met=met, due=due, overdue=due < timezone.localtime(at).date()))
    return sorted(out, key=lambda c: (c.due, c.tag.household_id))


def on_time(tag: HouseholdTag, at: datetime) -> bool:
    """Someone was met at the household within its tag's frequency before ``at``."""
    since = at - timedelta(days=FREQUENCY_DAYS[tag.tag])
    return Visit.objects.filter(
        household_id=tag.household_id, met=True, visited_at__gte=since, visited_at__lt=at
    ).exists()
