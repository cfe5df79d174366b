"""The community's public page (阳光居务), read without logging in: ``/community/<code>/``.

The page is a list of sections. Each section is a function ``section(community, now) -> PublicSection | None``
named by its dotted path in ``PUBLIC_SECTIONS``, shown in that order; a section returns None to stay hidden.
The notice board is the first. Another app adds its own (the three rates, rankings, the project ledger) by
appending one line here and writing its function and template; it must show only what may be public
(counts and rates, masked names, never phones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.module_loading import import_string

from areas.models import Area
from linli.sections import discovered
from notices.selectors import current_notices, past_notices

PUBLIC_SECTIONS: list[str] = [
    "notices.public.notice_board_section",
    "notices.public.past_notices_section",
    "evaluation.public.figures_section",
]


@dataclass
class PublicSection:
    key: str  # the section's anchor on the page
    title: str
    template: str  # rendered with ``section`` (this object) and ``community`` in its context
    context: dict[str, Any] = field(default_factory=dict)


def sections_for(community: Area, now: datetime) -> list[PublicSection]:
    """These sections, then those other apps add through ``linli.sections`` (``PUBLIC`` in their sections.py)."""
    sections = []
    for fn in [*(import_string(path) for path in PUBLIC_SECTIONS), *discovered("PUBLIC")]:
        section = fn(community, now)
        if section is not None:
            sections.append(section)
    return sections


def notice_board_section(community: Area, now: datetime) -> PublicSection:
    return PublicSection(
        key="notices",
        title="正在公示",
        template="notices/section_notices.html",
        context={"notices": list(current_notices(community, now)[:50]), "running": True, "now": now},
    )


def past_notices_section(community: Area, now: datetime) -> PublicSection | None:
    notices = list(past_notices(community, now)[:20])
    if not notices:
        return None
    return PublicSection(
        key="past-notices",
        title="公示期已满",
        template="notices/section_notices.html",
        context={"notices": notices, "running": False, "now": now},
    )
