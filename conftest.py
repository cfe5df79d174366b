"""Shared fixtures: a small named world and clients logged in as its personas.

``world`` (function-scoped, needs the database) is built by ``linli.testing.build_world`` through the
service functions, so every row also has its audit event. Attributes of the returned namespace:

Areas (``areas.Area``)
    ``d`` 示范区 (code D, the district) → ``s1`` 东湖街道 (S1), ``s2`` 西山街道 (S2);
    ``c1`` 幸福社区 (C1, in s1), ``c2`` 和平社区 (C2, in s2);
    grids ``g1a`` 幸福一网格 and ``g1b`` 幸福二网格 in c1, ``g2a`` 和平一网格 in c2.
Buildings and households
    ``b1a`` in g1a, ``b1b`` in g1b, ``b2a`` in g2a;
    ``h1a`` (b1a 101, 89.50 m², the resident's), ``h1a2`` (b1a 102, 120.00 m², the building head's),
    ``h1b`` (b1b 201, 76.30 m², neighbour_g1b's), ``h2a`` (b2a 301, 95.00 m², resident_c2's).
Units and party organisations
    ``dept`` 区住建局 (department, home d, serves d), ``pm1`` 幸福物业 (property manager,
    home and serves c1), ``pm2`` 和平物业 (c2); ``po_c1`` / ``po_c2`` community party committees,
    ``po_dept`` / ``po_pm1`` branches in dept and pm1; ``link`` co-building link po_dept ↔ c1.
People without a login
    ``neighbour_g1b`` 李桂兰 (lives in h1b, c1, phone 13900001111),
    ``resident_c2`` 王德明 (lives in h2a, c2, phone 13700002222).
Personas: ``w.<name>`` is the User (username = name, password ``w.password``), ``w.<name>_person`` the Person
    ``resident``     resident at c1, lives in h1a (g1a), phone 13812345678 (masked 138****5678)
    ``gridworker``   grid_worker at g1a        ``gridleader``   grid_leader at g1a
    ``buildinghead`` building_head at b1a, lives in h1a2
    ``community``    community_staff at c1     ``subdistrict``  subdistrict_staff at s1
    ``unit``         unit_staff at pm1          ``partymember``  party_member at c1 (member of po_c1)
    ``district``     district_leader at d
    ``admin``        admin role (not a Django superuser)
    outsiders: ``community2`` community_staff at c2, ``gridworker2`` grid_worker at g2a, ``unit2`` unit_staff at pm2
    ``w.personas`` lists the persona names. Only residents and building heads live in households;
    the other personas' persons have no community (the party member is registered with c1).

``shared_world`` is the same world built once per test module, for modules that only read it: each
test still runs in its own savepoint, so writes are undone, but in-memory objects are shared. A module
opts in by defining ``world`` as ``shared_world`` (see access/tests/test_scope_matrix.py).

``api_client_for(name)`` → a DRF APIClient authenticated as that persona;
``client_for(name)`` → a Django test Client logged in as that persona.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.test import APIClient

from linli.testing import build_world
from tests_browser.fixtures import browser, browser_db, new_context  # noqa: F401,E402  (one Playwright for all)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_triage_tables():
    """Triage keeps its tables and each community's history in memory per process, cleared by signals. A test's
    rollback sends none, and the next test's rows may reuse the same primary keys: each test starts with none."""
    from triage import tables

    tables.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas get real passwords; the fastest hasher keeps building them cheap."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                w = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield w
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def api_client_for(world):
    def make(name: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=getattr(world, name))
        return client

    return make


@pytest.fixture
def client_for(world):
    def make(name: str) -> Client:
        client = Client()
        client.force_login(getattr(world, name))
        return client

    return make


@pytest.fixture
def clock_at():
    """``clock_at(datetime(2026, 12, 2, 9, tzinfo=CST))`` moves the whole process's clock there (``linli.clock``)
    and lets it run on; restored after the test. Tests that read "now" use it so that they never depend on the
    real date."""
    from linli import clock

    stack = ExitStack()

    def travel(moment):
        stack.enter_context(clock.travel(moment))
        return moment

    yield travel
    stack.close()
