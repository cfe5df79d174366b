"""From any number to the appeals behind it: links to the work queue (/appeals/) with the figure's filters.

The queue filters by ``measure`` through ``appeals.selectors.QUEUE_MEASURES``, which this module fills with
every measure ("counted in X" means the appeal's fact row has X = 1), so a drilled list is exactly the rows
that a number counts.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from appeals.selectors import QUEUE_MEASURES
from evaluation.figures import COUNT_LABELS
from evaluation.models import MEASURES, AppealFact


def _condition(measure: str):
    def build() -> Q:
        return Q(pk__in=AppealFact.objects.filter(**{measure: 1}).values("appeal_id"))

    return build


def register_queue_measures() -> None:
    for measure in MEASURES:
        QUEUE_MEASURES[measure] = (f"计入{COUNT_LABELS[measure]}", _condition(measure))


def drill_url(
    *,
    measure: str,
    months: tuple[date, date],
    area: int | None = None,
    unit: int | None = None,
    category: int | None = None,
    channel: str = "",
) -> str:
    params: dict[str, str | int] = {
        "status": "",
        "measure": measure,
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
    return f"{reverse('appeal-queue')}?{urlencode(params)}"
