"""Fixtures for the browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The browser is Debian's ``/usr/bin/chromium`` (``make system-deps`` installs it with the CJK fonts); Playwright's
own browser downloads are never used. Without it the tests fail, they do not skip: a missing browser is a broken
setup, not an optional extra.

``browser`` is one chromium for the session. ``new_context(DESKTOP)`` / ``new_context(PHONE)`` opens a page in a
fresh context (its own cookies) whose base URL is the live server, so ``page.goto("/login/")`` works; the database
is transactional so that the live server's thread sees the test's rows. ``demo`` loads the demo district (青山区)
in demo mode, without the DEMO_STEPS (their 2,000 appeals take minutes).
The page helpers (``login``, ``logout``, ``shoot``) and the viewports are in ``tests_browser/helpers.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests_browser.helpers import NOW

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. Run `make system-deps` "
            "(never `playwright install`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_db(settings, transactional_db, live_server):
    """The live server, on a transactional database (its thread cannot see a test's open transaction), with the
    process's clock at ``NOW`` (the first days of a month, on purpose): no browser test depends on the real date."""
    from linli import clock

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(NOW):
        yield live_server


@pytest.fixture
def new_context(browser, browser_db) -> Iterator[Callable]:
    """``new_context(PHONE)`` → a fresh page in its own context; all are closed after the test."""
    contexts = []

    def make(options: dict):
        context = browser.new_context(base_url=browser_db.url, locale="zh-CN", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo(settings, browser_db):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    return load_demo_district()
