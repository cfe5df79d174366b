"""Settings of the figures: the composite score's weights and the weight of "basically satisfied".

Read from Django settings ``EVALUATION_SCORE_WEIGHTS`` / ``EVALUATION_BASICALLY_WEIGHT`` or the environment
(``LINLI_SCORE_WEIGHTS="0.1,0.5,0.4"``, ``LINLI_BASICALLY_WEIGHT="0.8"``, the defaults). A bad value fails
loudly. Pages never name these settings: they say what the weights are ("基本满意按 0.8 计"), see ``evaluation.figures.Figure.definition``.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_WEIGHTS = "0.1,0.5,0.4"  # response, resolution, satisfaction
DEFAULT_BASICALLY = "0.8"  # 基本满意 counts as 0.8 of 满意 in the satisfaction rate


def _decimal(text: str, name: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"{name}: {text!r} is not a number") from exc
    if not Decimal(0) <= value <= Decimal(1):
        raise ImproperlyConfigured(f"{name}: {text!r} must lie between 0 and 1")
    return value


def score_weights() -> tuple[Decimal, Decimal, Decimal]:
    raw = getattr(settings, "EVALUATION_SCORE_WEIGHTS", None) or os.environ.get(
        "LINLI_SCORE_WEIGHTS", DEFAULT_WEIGHTS
    )
    return _weights(str(raw))


@lru_cache(maxsize=8)
def _weights(raw: str) -> tuple[Decimal, Decimal, Decimal]:
    parts = [_decimal(p, "LINLI_SCORE_WEIGHTS") for p in str(raw).split(",")]
    if len(parts) != 3 or sum(parts) != 1:
        raise ImproperlyConfigured(f"LINLI_SCORE_WEIGHTS: {raw!r} must be three weights adding up to 1")
    return parts[0], parts[1], parts[2]


def basically_weight() -> Decimal:
    raw = getattr(settings, "EVALUATION_BASICALLY_WEIGHT", None) or os.environ.get(
        "LINLI_BASICALLY_WEIGHT", DEFAULT_BASICALLY
    )
    return _decimal(str(raw), "LINLI_BASICALLY_WEIGHT")
