"""From any number to the appeals behind it: links to the work queue (/appeals/) with the figure's filters.

The queue filters by ``measure`` through ``appeals.selectors.QUEUE_MEASURES``, which this module fills with
every measure ("counted in X" means the appeal's fact row has X = 1), so a drilled list is exactly the rows
that a number counts; and with each rate's shortfall ("in the denominator, not in the numerator": the
appeals answered late, rated unresolved, rated unsatisfied, not yet closed, closed late), the list a
leader asks for next.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from appeals.models import Kind
from appeals.selectors import QUEUE_MEASURES
from evaluation.figures import COUNT_LABELS, Totals
from evaluation.models import MEASURES, AppealFact

# figure → (label of its shortfall list, the denominator measure, the numerator measures it misses)
SHORTFALLS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "response_rate": ("未按时响应", "response_due", ("responded",)),
    "resolution_rate": ("评价未解决", "rated", ("resolved",)),
    "satisfaction_rate": ("评价不满意", "rated", ("satisfied", "basically")),
    "closure_rate": ("尚未办结", "counted", ("done",)),
    "on_time_rate": ("未按期办结", "due", ("on_time",)),
}


def _condition(measure: str, missing: tuple[str, ...] = ()):
    def build() -> Q:
        facts = AppealFact.objects.filter(**{measure: 1}, **{m: 0 for m in missing})
        return Q(pk__in=facts.values("appeal_id"))

    return build


def register_queue_measures() -> None:
    for measure in MEASURES:
        QUEUE_MEASURES[measure] = (f"计入{COUNT_LABELS[measure]}", _condition(measure))
    for figure, (label, denominator, numerators) in SHORTFALLS.items():
        QUEUE_MEASURES[f"short_{figure}"] = (label, _condition(denominator, numerators))


def shortfall(figure: str, totals: Totals) -> int | None:
    """How many appeals a rate's shortfall list holds (None for figures without one)."""
    if figure not in SHORTFALLS:
        return None
    _, denominator, numerators = SHORTFALLS[figure]
    return totals[denominator] - sum(totals[m] for m in numerators)


class Drill:
    """The queue links of one slice (period, area, unit, category, channel): the filters are encoded once and
    only the measure changes from one number to the next."""

    def __init__(
        self,
        *,
        months: tuple[date, date],
        area: int | None = None,
        unit: int | None = None,
        category: int | None = None,
        channel: str = "",
        kind: str = Kind.APPEAL,
    ):
        params: dict[str, str | int] = {
            "kind": kind,
            "month_from": f"{months[0]:%Y-%m}",
            "month_to": f"{months[1]:%Y-%m}",
            "sort": "newest",
        }
        if area:
            params["area"] = area
        if unit:
            params["unit"] = unit
        if category:
            params["category"] = category
        if channel:
            params["channel"] = channel
        self.prefix = f"{reverse('appeal-queue')}?status=&measure="
        self.rest = "&" + urlencode(params)

    def url(self, measure: str) -> str:
        return f"{self.prefix}{measure}{self.rest}"
