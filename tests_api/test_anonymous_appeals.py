"""An anonymous appeal stays anonymous to units (appeals.selectors.raiser_hidden): the handling unit's staff see
neither the raiser's name nor phone, on the API, the page or the timeline; the community still does."""

from __future__ import annotations

import pytest

from appeals import services
from appeals.models import Channel
from audit.models import PersonalDataView
from linli.testing import api_client

pytestmark = pytest.mark.django_db

NAME, PHONE = "张秀英", "13812345678"  # the resident persona's


def dispatched(world, *, anonymous: bool):
    appeal = services.appeal_submit(
        user=world.resident,
        title="楼下烧烤油烟",
        body="每晚十点后油烟很大。",
        channel=Channel.APP,
        building=world.b1a,
        is_anonymous=anonymous,
    )
    services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)
    return appeal


def test_the_handling_unit_does_not_learn_who_raised_an_anonymous_appeal(world, client):
    appeal = dispatched(world, anonymous=True)
    unit = api_client(world.unit)
    detail = unit.get(f"/api/appeals/{appeal.pk}/").json()
    assert detail["raised_by_name"] == "匿名居民" and detail["raised_by_phone"] == ""
    events = unit.get(f"/api/appeals/{appeal.pk}/events/").json()
    submit = next(e for e in events if e["action"] == "submit")
    assert submit["actor_name"] == "匿名居民" and submit["actor"] is None
    client.force_login(world.unit)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "匿名居民" in page and NAME not in page and PHONE not in page and "5678" not in page
    # the community still knows, to call back
    staff = api_client(world.community).get(f"/api/appeals/{appeal.pk}/").json()
    assert staff["raised_by_name"] == NAME and staff["raised_by_phone"] == PHONE
    # and the raiser sees their own appeal as theirs
    own = api_client(world.resident).get(f"/api/appeals/{appeal.pk}/").json()
    assert own["raised_by_name"] == NAME


def test_a_named_appeal_gives_the_unit_the_number_and_logs_it(world):
    appeal = dispatched(world, anonymous=False)
    detail = api_client(world.unit).get(f"/api/appeals/{appeal.pk}/").json()
    assert detail["raised_by_phone"] == PHONE
    # the phone's row (the appeal's place has its own: appeals/tests/test_access_log.py)
    row = PersonalDataView.objects.get(actor=world.unit, field="phone")
    assert row.person == world.resident_person and row.where == f"/api/appeals/{appeal.pk}/"
