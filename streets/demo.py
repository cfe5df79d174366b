"""街长制: the demo district's streets, through the services: each community's main street (the one its
addresses are on) runs through its grids, with a 街长 from its party members and 城市管理局 as the lead department
for 城乡建设 and 环境保护 appeals there."""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Area
from categories.models import Category
from demo.district import SUBDISTRICTS
from people.models import Person
from streets.models import Street
from streets.services import street_bind, street_create, street_set_head
from units.models import Unit

STREET_OF = {name: street for _, communities in SUBDISTRICTS for name, street, _ in communities}


def load_demo_streets(demo: Any, stdout: TextIO | None = None) -> int:
    if Street.objects.exists():
        return 0
    admin = get_user_model().objects.filter(username="admin").first()
    lead = Unit.objects.filter(code__endswith="-U-CGJ").first()
    categories = list(Category.objects.filter(parent__isnull=True, code__in=["CXJS", "HJBH"]))
    made = 0
    with transaction.atomic():
        for community in Area.objects.filter(kind=Area.Kind.COMMUNITY).order_by("path"):
            name = STREET_OF.get(community.name)
            if name is None:
                continue
            grids = list(
                Area.objects.filter(path__startswith=community.path, kind=Area.Kind.GRID).order_by("path")
            )
            street = street_create(
                user=admin, community=community, name=name, section=f"{community.name}段", grids=grids
            )
            head = (
                Person.objects.filter(community=community, is_party_member=True)
                .order_by("-birth_year", "id")
                .first()
            )
            if head is not None:
                street_set_head(user=admin, street_id=street.pk, person=head)
            if lead is not None and categories:
                street_bind(user=admin, street_id=street.pk, lead_unit=lead, categories=categories)
            made += 1
    if stdout is not None:
        stdout.write(f"街长制：街路 {made} 条\n")
    return made
