"""The demo step: every estate of the demo district is a 小区 with its buildings; firms are red properties rated for
three quarters; the demo resident's estate elected its 业委会 and another estate is at its vote; all on the
community's public page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from areas.models import Building
from compounds.demo import estates, load_demo_compounds
from compounds.models import Body, Compound, Election, Rating

pytestmark = pytest.mark.django_db


def test_demo_compounds(settings):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    demo = load_demo_district()
    made = load_demo_compounds(demo)
    assert made == len(estates()) and made >= 30
    assert load_demo_compounds(demo) == 0  # idempotent
    assert not Building.objects.filter(compound__isnull=True).exists()
    for compound in Compound.objects.all():
        names = {re.sub(r"\d+号楼$", "", b.name) for b in compound.buildings.all()}
        assert names == {compound.name}
    assert set(Compound.objects.values_list("kind", flat=True)) >= {"work_unit", "commercial"}
    firms = Body.objects.filter(kind="property", status="active")
    assert firms.exists() and all(b.is_red for b in firms)
    assert Body.objects.filter(kind="self_management", status="active").exists()
    assert Rating.objects.filter(rater="resident").count() > 200
    assert Rating.objects.filter(rater="community").exists()
    elected, voting = Election.objects.order_by("created_at")
    assert elected.status == "elected" and elected.body.members.count() == elected.seats
    assert voting.status == "voting" and voting.vote.status == "open"
    mine = Compound.objects.get(buildings__households__memberships__person__user__username="resident")
    assert elected.compound == mine
    page = Client().get(f"/community/{demo.community.code}/").content.decode()
    assert "小区自治与红色物业" in page and mine.name in page and "红色物业" in page
    assert "居民评价" in page and "满意度" in page
    member = elected.body.members.first()
    assert member.person.name in page
