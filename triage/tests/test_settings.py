"""TRIAGE_MIN_CONFIDENCE from the environment: a number from 0 to 1, or a clear ImproperlyConfigured at start-up
(not a bare ValueError traceback from deep inside Django's settings import)."""

from __future__ import annotations

import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = settings.BASE_DIR / "linli" / "settings.py"


def load_settings(monkeypatch, value: str | None) -> dict:
    """The settings module run afresh with TRIAGE_MIN_CONFIDENCE set (or unset) in the environment."""
    if value is None:
        monkeypatch.delenv("TRIAGE_MIN_CONFIDENCE", raising=False)
    else:
        monkeypatch.setenv("TRIAGE_MIN_CONFIDENCE", value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 0.6), ("", 0.6), ("0.75", 0.75), (" 1 ", 1.0), ("0", 0.0)]
)
def test_a_number_from_0_to_1_is_taken(monkeypatch, value, expected):
    assert load_settings(monkeypatch, value)["TRIAGE_MIN_CONFIDENCE"] == expected


@pytest.mark.parametrize("value", ["abc", "60%", "1.5", "-0.1", "nan", "inf", "0,6"])
def test_anything_else_stops_the_start_with_a_clear_message(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(monkeypatch, value)
    message = str(refused.value)
    assert "TRIAGE_MIN_CONFIDENCE" in message and repr(value) in message and "from 0 to 1" in message
