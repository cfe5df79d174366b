"""共建: the demo district's records, made through the services."""

from __future__ import annotations

from typing import Any, TextIO


def load_demo_cobuilding(demo: Any, stdout: TextIO | None = None) -> int:
    return 0
