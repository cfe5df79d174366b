"""Encryption costs no query: the people list, its export and the intake search make as many queries for 60 people
as for 20, and decrypting a page of phones takes a small fraction of the request."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people import crypto
from people.models import Person

pytestmark = pytest.mark.django_db


def add_people(world, count: int) -> None:
    start = Person.objects.count()
    Person.objects.bulk_create(
        Person(name=f"居民{i:03d}", phone=f"139{i:08d}", community=world.c1)
        for i in range(start, start + count)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/people/", "/people/?format=xlsx", "/appeals/new/people/?q=居民"])
def test_the_number_of_queries_does_not_grow_with_the_people(world, client_for, url):
    c = client_for("community")
    add_people(world, 3)
    c.get(url)  # the first request of a session reads it once more
    few = queries(c, url)
    add_people(world, 60)  # the search shows 10 of them, the list 50 a page
    assert queries(c, url) == few


def test_bulk_created_people_are_encrypted_and_found(world):
    Person.objects.bulk_create([Person(name="批量甲", phone="13911110002"), Person(name="批量乙")])
    assert Person.objects.filter(phone="13911110002").get().name == "批量甲"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM people_person WHERE name = %s", ["批量甲"])
        assert crypto.is_encrypted(cursor.fetchone()[0])


def test_a_thousand_phones_decrypt_in_well_under_a_second():
    stored = [crypto.encrypt(f"139{i:08d}") for i in range(1000)]
    started = time.perf_counter()
    assert [crypto.decrypt(s) for s in stored][-1] == "13900000999"
    assert time.perf_counter() - started < 0.5  # about 2 µs each; a page of 50 costs a tenth of a millisecond
