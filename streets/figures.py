"""A street's figures: the appeals filed on it (``Appeal.street``), how many were resolved, and the 解决率.

Counted from the appeals themselves, one grouped query for any number of streets:

- 街路诉求: appeals submitted in the period with the street chosen, not withdrawn or merged;
- 已办结: of those, closed;
- 已评价 / 已解决: of those, rated by the resident / rated "问题已解决" (the latest rating counts);
- 解决率 = 已解决 ÷ 已评价 (an ``evaluation.ledgers.Rate``, always printed with its fraction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from appeals.models import Appeal, Status
from evaluation.ledgers import Rate

COUNTED = ~Q(status__in=[Status.WITHDRAWN, Status.MERGED])


@dataclass(frozen=True)
class StreetFigures:
    appeals: int = 0
    closed: int = 0
    rated: int = 0
    resolved: int = 0

    @property
    def resolution(self) -> Rate:
        return Rate(self.resolved, self.rated)


def street_figures(street_ids: Iterable[int], start: datetime, end: datetime) -> dict[int, StreetFigures]:
    """Each street's figures over [start, end); a street without appeals gets zeros."""
    ids = list(street_ids)
    rows = (
        Appeal.objects.filter(COUNTED, street_id__in=ids, submitted_at__gte=start, submitted_at__lt=end)
        .values("street_id")
        .annotate(
            appeals=Count("pk"),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
            rated=Count("pk", filter=Q(resolved__isnull=False)),
            resolved=Count("pk", filter=Q(resolved=True)),
        )
    )
    found = {
        r["street_id"]: StreetFigures(r["appeals"], r["closed"], r["rated"], r["resolved"]) for r in rows
    }
    return {pk: found.get(pk, StreetFigures()) for pk in ids}


DEFINITIONS = [
    "街路诉求：本期内提交、登记时选了该街路的诉求，不含撤回和合并的。",
    "已办结：其中状态为已办结的。",
    "已评价：其中居民（或回访代评）已评价“问题是否解决”的；已解决：评价为“问题已解决”的，以最近一次评价为准。",
    "解决率 = 已解决 ÷ 已评价。",
]
