"""Checks of free text that every service shares."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def required_text(value: str, field: str, label: str, max_length: int = 5000) -> str:
    """The stripped text, or a field error naming ``label``: empty, or longer than ``max_length``."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}不能超过 {max_length} 个字"})
    return value
