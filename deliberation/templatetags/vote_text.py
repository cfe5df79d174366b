"""Filters for the vote page."""

from __future__ import annotations

import re

from django import template

register = template.Library()

_NUMBER_AND_UNIT = re.compile(r"(\d) (m²|户|票|人)")


@register.filter
def units_together(text: str) -> str:
    """A number and its unit stay on one line ("370.06 m²" never breaks before "m²" on a phone): the space between
    them becomes a no-break space. Plain text in, plain text out (the template still escapes it)."""
    return _NUMBER_AND_UNIT.sub("\\1\u00a0\\2", str(text))
