"""Rights decided once per list: phones for a page of people in one query, the party members a community may
register (双报到) from its own district only, and a unit's staff seeing their unit's inbox."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access.scope import Scope
from people.models import Person
from people.services import person_create

pytestmark = pytest.mark.django_db


def test_phones_of_a_list_take_one_query_and_match_phone_of(world):
    scope = Scope.of(world.gridworker)
    people = list(Person.objects.order_by("pk"))
    assert len(people) > 10
    expected = {p.pk: scope.phone_of(p) for p in people}
    scope = Scope.of(world.gridworker)  # fresh: nothing cached from the per-person checks
    scope.nodes(set())  # the scope's own role rows, loaded once for any question
    with CaptureQueriesContext(connection) as queries:
        phones = scope.phones_of(people)
    assert phones == expected
    assert len(queries) <= 2
    assert any(phone != p.phone for p in people for phone in [phones[p.pk]] if p.phone)  # some are masked
    assert list(scope.with_phones(iter(people), chunk=3)) == [(p, expected[p.pk]) for p in people]


def test_party_members_offered_for_registration_are_the_communitys_districts(world):
    # a party member living in another district is not offered to 幸福社区's staff
    from areas.services import area_create

    elsewhere = area_create(kind="district", code="OTHER", name="外区")
    street = area_create(kind="subdistrict", code="OTHER-S", name="外区街道", parent=elsewhere)
    home = area_create(kind="community", code="OTHER-C", name="外区社区", parent=street)
    stranger = person_create(name="外区党员", phone="13900000099", community=home, is_party_member=True)
    offered = Scope.of(world.community).party_members_for(world.c1)
    assert world.partymember_person in offered
    assert stranger not in offered


def test_unit_staff_alone_see_their_units_inbox(world):
    assert Scope.of(world.unit).works_for_units_only
    assert not Scope.of(world.community).works_for_units_only
    assert not Scope.of(world.admin).works_for_units_only
