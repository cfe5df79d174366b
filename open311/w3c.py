"""W3C datetimes (the ISO 8601 profile of https://www.w3.org/TR/NOTE-datetime), as GeoReport v2 uses them.

Read: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (the start of that year, month or day in Linli's time zone) and
``YYYY-MM-DDThh:mm[:ss[.s+]]TZD`` where TZD is ``Z`` or ``+hh:mm`` / ``-hh:mm`` (a time without its zone is refused:
the spec requires it). Written: ``2026-12-02T09:30:00+08:00``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

_W3C = re.compile(
    r"(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2}))?)?)?",
    re.ASCII,
)


def parse(text: str) -> datetime | None:
    """The moment, or None when the text is not a W3C datetime (or names no real date)."""
    match = _W3C.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    g = match.groupdict()
    try:
        if g["tz"] is None:
            day = datetime(int(g["y"]), int(g["mo"] or 1), int(g["d"] or 1))  # noqa: DTZ001 made aware below
            return timezone.make_aware(day)
        if g["tz"] == "Z":
            tz = UTC
        else:
            sign = 1 if g["tz"][0] == "+" else -1
            hours, minutes = int(g["tz"][1:3]), int(g["tz"][4:6])
            if hours > 23 or minutes > 59:
                return None
            tz = dt_timezone(sign * timedelta(hours=hours, minutes=minutes))
        micro = int((g["f"] or "0")[:6].ljust(6, "0"))
        return datetime(
            int(g["y"]),
            int(g["mo"]),
            int(g["d"]),
            int(g["h"]),
            int(g["mi"]),
            int(g["s"] or 0),
            micro,
            tzinfo=tz,
        )
    except (ValueError, OverflowError):
        return None


def write(moment: datetime | None) -> str | None:
    return None if moment is None else timezone.localtime(moment).isoformat(timespec="seconds")
