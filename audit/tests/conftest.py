"""The access pages and the sign-in gates as the project will route them (access/tests/docs_urls.py and
access.gates.SignInGatesMiddleware after AxesMiddleware)."""

from __future__ import annotations

import pytest

GATES = "access.gates.SignInGatesMiddleware"


@pytest.fixture
def gated(settings):
    settings.ROOT_URLCONF = "access.tests.docs_urls"
    settings.LINLI_TWOFACTOR_ADMINS = True
    settings.LINLI_PRIVACY_CONSENT = True
    if GATES not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, GATES]
    return settings
