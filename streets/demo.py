"""街长制: the demo district's streets, through the services: each community's main street (the one its
addresses are on) runs through its grids, with a 街长 from its party members and 城市管理局 as the lead department
for 城乡建设 and 环境保护 appeals there.

The demo's appeals were filed before the streets existed (``appeals.demo`` runs first and its random draws stay as
they are), so this step marks afterwards, as an import of old records would, the appeals about the street: those of
the street's community in the street categories below (市政设施, 道路养护, 占道经营). No figure but the streets' own
changes."""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from appeals.models import Appeal
from areas.models import Area
from categories.models import Category
from demo.district import SUBDISTRICTS
from people.models import Person
from streets.models import Street
from streets.services import street_bind, street_create, street_set_head
from units.models import Unit

STREET_OF = {name: street for _, communities in SUBDISTRICTS for name, street, _ in communities}


# The leaf categories of problems that lie on a street (demo/categories.py).
STREET_CATEGORY_CODES = ("CXJS-SZSS", "JTYS-DLYH", "SMLY-ZDJY")


def load_demo_streets(demo: Any, stdout: TextIO | None = None) -> int:
    made = _make_streets() if not Street.objects.exists() else 0
    tagged = _tag_appeals()
    if stdout is not None:
        stdout.write(f"街长制：街路 {made} 条，街路诉求 {tagged} 件\n")
    return made


def _tag_appeals() -> int:
    """Each street's appeals (see the module's note); once: nothing when some appeal already has a street."""
    if Appeal.objects.filter(street__isnull=False).exists():
        return 0
    tagged = 0
    with transaction.atomic():
        for street in Street.objects.order_by("pk"):
            tagged += Appeal.objects.filter(
                community_id=street.community_id, category__code__in=STREET_CATEGORY_CODES
            ).update(street=street)
    return tagged


def _make_streets() -> int:
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
    return made
