"""Two people acting on one body or one election at once: exactly one wins, the other gets 409 (PostgreSQL row
locks and real connections)."""

from __future__ import annotations

from datetime import date

from compounds.models import CompoundEvent, Rating
from compounds.services import body_create
from compounds.tests.helpers import ALL_FIVE, compound, firm
from linli.testing import api_client as client
from linli.testing import race, two_at_once

pytestmark = two_at_once()


def test_two_staff_end_one_committee_at_once(world):
    w = world
    c = compound(w)
    body = body_create(
        user=w.community,
        compound_id=c.pk,
        kind="owners_committee",
        starts_on=date(2024, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    url = f"/api/compounds/{c.pk}/body-end/"
    codes = race(
        [
            lambda: (
                client(w.community).post(url, {"body": body.pk, "reason": "换届"}, format="json").status_code
            ),
            lambda: (
                client(w.admin).post(url, {"body": body.pk, "reason": "提前换届"}, format="json").status_code
            ),
        ]
    )
    assert sorted(codes) == [200, 409]
    assert CompoundEvent.objects.filter(body=body, action="end").count() == 1


def test_one_resident_rates_twice_at_once(world):
    w = world
    c = compound(w)
    firm(w, c)
    url = f"/api/compounds/{c.pk}/rate/"
    codes = race(
        [lambda: client(w.resident).post(url, ALL_FIVE, format="json").status_code for _ in range(2)]
    )
    assert sorted(codes) == [201, 409]
    assert Rating.objects.filter(compound=c, person=w.resident_person).count() == 1
