"""Fixtures for the browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

The browser is Debian's ``/usr/bin/chromium`` (``make system-deps`` installs it with the CJK fonts); Playwright's
own browser downloads are never used. Without it the tests fail, they do not skip: a missing browser is a broken
setup, not an optional extra.

``browser`` is one chromium for the session. ``new_context(DESKTOP)`` / ``new_context(PHONE)`` opens a page in a
fresh context (its own cookies) whose base URL is the live server, so ``page.goto("/login/")`` works; the database
is transactional so that the live server's thread sees the test's rows. ``demo`` loads the demo district (青山区)
in demo mode, without the DEMO_STEPS (their 2,000 appeals take minutes).
The fixtures ``browser``, ``browser_db`` and ``new_context`` live in ``tests_browser/fixtures.py`` and are
registered for the whole suite by the root conftest (the Open311 key page's walk uses them too).
The page helpers (``login``, ``logout``, ``shoot``) and the viewports are in ``tests_browser/helpers.py``.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(settings, browser_db):
    from demo.loader import load_demo_district

    settings.DEMO_MODE = True
    return load_demo_district()
