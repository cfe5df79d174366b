"""楼院三长: the demo district's building heads, unit heads and 中心户长, appointed through the services.

Most buildings get a 楼长 from among their residents (party members first); some get a 中心户长 covering the flats
of the building, so the coverage figures are below 100 % as in the seeds.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Area, Building
from estates.models import Steward
from estates.services import steward_appoint
from people.models import Person


def _residents(building: Building, community: Area):
    return (
        Person.objects.filter(memberships__household__building=building, community=community)
        .filter(user__isnull=True)  # the demo logins keep the roles the login list describes
        .distinct()
        .order_by("-is_party_member", "id")
    )


def load_demo_estates(demo: Any, stdout: TextIO | None = None) -> int:
    if Steward.objects.exists():
        return 0
    admin = get_user_model().objects.filter(username="admin").first()
    rng = random.Random(20231208)
    made = 0
    with transaction.atomic():
        for building in Building.objects.select_related("grid").order_by("code"):
            community = building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
            assert community is not None
            people = list(_residents(building, community)[:3])
            if not people:
                continue
            start = date(2025, rng.choice([1, 3, 6, 9]), 1)
            if rng.random() < 0.75:
                steward_appoint(
                    user=admin, person=people[0], building=building, post="building_head", appointed_on=start
                )
                made += 1
            if len(people) > 1 and rng.random() < 0.45:
                flats = list(building.households.values_list("pk", flat=True))
                steward_appoint(
                    user=admin,
                    person=people[1],
                    building=building,
                    post="household_head",
                    households=flats,
                    appointed_on=start,
                )
                made += 1
            if len(people) > 2 and (building.floors or 0) >= 12 and rng.random() < 0.5:
                steward_appoint(
                    user=admin,
                    person=people[2],
                    building=building,
                    post="unit_head",
                    entrance="1单元",
                    appointed_on=start,
                )
                made += 1
    if stdout is not None:
        stdout.write(f"楼院三长：{made} 人\n")
    return made
