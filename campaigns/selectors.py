"""Reads of 评选 other pages use: a household's honours that are in force (a star rating lasts a year; other honours
are shown for the year after their award)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from areas.models import Household
from campaigns.models import Honour


def honours_in_force(household: Household, today: date) -> list[Honour]:
    return list(
        Honour.objects.filter(household=household)
        .filter(
            Q(valid_until__gte=today)
            | Q(valid_until__isnull=True, awarded_on__gt=today - timedelta(days=365))
        )
        .select_related("campaign")
    )
