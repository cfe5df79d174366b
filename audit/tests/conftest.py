"""The privacy pages behind the sign-in gates, as access's tests route them (``gated``, from access/tests)."""

from __future__ import annotations

from access.tests.conftest import gated  # noqa: F401  (the fixture, shared with access's tests)
