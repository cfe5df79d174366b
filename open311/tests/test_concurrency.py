"""A key revoked while a request is being filed: the request is either filed before the revocation or refused
(403) — never filed by a key already revoked. Real concurrent connections, so PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from appeals.models import Appeal
from open311.keys import key_revoke
from open311.models import ApiKey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.parametrize("round_", range(3))
def test_revoking_while_filing_never_files_after_the_revocation(o311, world, round_):
    lat, long = o311.inside_g1a
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def file() -> None:
        start.wait()
        response = o311.post(Client(), service_code="HJBH-ZYRM", lat=lat, long=long, description="夜间施工")
        results["status"] = response.status_code
        connection.close()

    def revoke() -> None:
        start.wait()
        key_revoke(actor=world.admin, key_id=o311.key.pk)
        connection.close()

    threads = [threading.Thread(target=file), threading.Thread(target=revoke)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    key = ApiKey.objects.get(pk=o311.key.pk)
    assert key.revoked_at is not None
    if results["status"] == 201:
        assert Appeal.objects.get().submitted_at <= key.revoked_at
    else:
        assert results["status"] == 403 and not Appeal.objects.exists()
