"""Fixtures of the spreadsheet tests; the town itself is described in ``helpers.py``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from spreadsheets.tests.helpers import add_personas, build_places


@pytest.fixture
def town(db) -> SimpleNamespace:
    return add_personas(build_places())
