"""The PIPL access log of the register's admin form: a person's change page shows their phone in full (a row) and,
to whoever may read households there, their homes (a row), in one insert; one's own page writes none, and no
address row is written where the homes are not shown."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import PersonalDataView

pytestmark = pytest.mark.django_db


def logged() -> list[tuple]:
    return [
        (r.actor.username if r.actor else "", r.field, r.person)
        for r in PersonalDataView.objects.order_by("id")
    ]


def test_a_persons_admin_form_logs_the_phone_and_homes_shown(world):
    root = get_user_model().objects.create_superuser("root", password=world.password)
    client = Client()
    client.force_login(root)
    url = f"/admin/people/person/{world.resident_person.pk}/change/"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "13812345678" in page and "幸福1号楼 101" in page
    assert logged() == [("root", "phone", world.resident_person), ("root", "address", world.resident_person)]
    assert {r.where for r in PersonalDataView.objects.all()} == {url}
    assert len([q for q in queries if q["sql"].startswith('INSERT INTO "audit_personaldataview"')]) == 1


def test_no_address_row_where_the_homes_are_not_shown_and_none_for_ones_own(client_for, world):
    client = client_for("admin")  # the administrator's role: the form without the household rows
    page = client.get(f"/admin/people/person/{world.resident_person.pk}/change/").content.decode()
    assert "13812345678" in page and "幸福1号楼 101" not in page
    client.get(f"/admin/people/person/{world.admin_person.pk}/change/")  # their own
    assert logged() == [("admin", "phone", world.resident_person)]
