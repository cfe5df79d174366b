"""The browser fixtures, registered once for the whole suite by the root ``conftest.py`` (a second definition
would start a second Playwright in the same thread): ``browser`` (one Debian chromium for the session),
``browser_db`` (the live server on a transactional database, the clock at ``NOW``) and ``new_context``."""

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
