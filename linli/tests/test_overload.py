"""A database that cannot be had gives 503 with Retry-After and a message, on pages and in the API."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from linli.overload import MESSAGE, OverloadMiddleware

pytestmark = pytest.mark.django_db


def test_an_unavailable_database_is_a_503_with_retry_after(rf):
    middleware = OverloadMiddleware(lambda request: None)
    page = middleware.process_exception(
        rf.get("/appeals/"), OperationalError("the database system is starting up")
    )
    api = middleware.process_exception(rf.get("/api/appeals/"), OperationalError("too many clients already"))
    assert page.status_code == 503 and page["Retry-After"] == "5" and MESSAGE in page.content.decode()
    assert api.status_code == 503 and json.loads(api.content) == {"detail": MESSAGE}


def test_a_pool_timeout_is_a_503_and_other_errors_pass_through(rf):
    from psycopg_pool import PoolTimeout

    middleware = OverloadMiddleware(lambda request: None)
    assert (
        middleware.process_exception(rf.get("/"), PoolTimeout("couldn't get a connection")).status_code == 503
    )
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None


def test_a_pool_is_configured_from_the_environment(monkeypatch):
    from linli.settings import database_from_url

    monkeypatch.setenv("DB_POOL_MAX", "8")
    db = database_from_url("postgres://linli@db/linli")
    assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10} and db["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DB_POOL_MAX", "0")
    assert database_from_url("postgres://linli@db/linli")["OPTIONS"] == {}
