"""The PIPL access log beyond phones: a person's full address (their homes on the person page) — one row per view,
none for one's own page or a person with no home. A dispute's parties: disputes/tests/test_access_log.py."""

from __future__ import annotations

import pytest

from audit.models import PersonalDataView

pytestmark = pytest.mark.django_db


def rows(**filters) -> list[PersonalDataView]:
    return list(PersonalDataView.objects.filter(**filters).order_by("id"))


# ---- a person's address -----------------------------------------------------------------------------------------
def test_viewing_a_persons_homes_writes_one_address_row_per_view(client, world):
    # given a building head, who sees the resident's home in full but the phone masked
    client.force_login(world.buildinghead)
    # when they open the resident's page twice
    for _ in range(2):
        page = client.get(f"/people/{world.resident_person.pk}/").content.decode()
        assert "幸福1号楼 101" in page
    # then one address row per view, and no phone row (it was masked)
    address = rows(field="address")
    assert len(address) == 2
    assert {(r.actor, r.person, r.where) for r in address} == {
        (world.buildinghead, world.resident_person, f"/people/{world.resident_person.pk}/")
    }
    assert not rows(field="phone")


def test_a_person_without_a_home_or_ones_own_page_writes_no_address_row(client, world):
    client.force_login(world.gridworker)
    client.get(f"/people/{world.gridworker_person.pk}/")  # their own page
    client.force_login(world.admin)
    client.get(f"/people/{world.unit_person.pk}/")  # no home registered
    assert not rows(field="address")
