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


@pytest.fixture
def outage(monkeypatch):
    """A fresh per-process outage state whose probe answers from ``answers`` (a server that is away is the soak's
    part: deploy/soak/soak_db_restart.py stops a real PostgreSQL)."""
    from linli import overload

    state = overload.Outage()
    state.answers = []
    monkeypatch.setattr(overload, "OUTAGE", state)
    monkeypatch.setattr(overload, "probe", lambda: state.answers.pop(0))
    monkeypatch.setattr(overload, "PROBE_EVERY_SECONDS", 0)
    return state


def test_a_database_found_away_answers_503_at_once_until_a_probe_finds_it_back(rf, outage):
    reached = []
    middleware = OverloadMiddleware(lambda request: reached.append(request.path) or "served")
    # Given a request that failed for want of the database, and a probe that cannot connect either
    outage.answers = ["connection refused"]
    failed = middleware.process_exception(
        rf.get("/api/appeals/"), OperationalError("server closed the connection")
    )
    assert failed.status_code == 503 and outage.since is not None
    # Then the next request gets its 503 without reaching the view, while /healthz goes through to say why
    outage.answers = ["connection refused", "connection refused"]
    away = middleware(rf.get("/appeals/"))
    assert away.status_code == 503 and away["Retry-After"] == "5" and reached == []
    assert middleware(rf.get("/healthz")) == "served" and reached == ["/healthz"]
    # When a probe connects again, requests are served
    outage.answers = [""]
    assert middleware(rf.get("/appeals/")) == "served" and outage.since is None


def test_a_busy_pool_is_not_an_outage(rf, outage):
    from psycopg_pool import PoolTimeout

    outage.answers = [""]  # the server takes a new connection: only the pool was full
    middleware = OverloadMiddleware(lambda request: "served")
    assert (
        middleware.process_exception(rf.get("/"), PoolTimeout("couldn't get a connection")).status_code == 503
    )
    assert outage.since is None and middleware(rf.get("/")) == "served"
