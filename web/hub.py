"""社区事务: one page that leads to every community-life ledger the person may use.

Each app adds its own cards through ``linli.sections`` (``HUB`` in its sections.py): service sites and
bookings, activities, household visits, 评选, the covenant, disputes, structure. A card says what it is for and,
where it helps, how many things wait for this person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from access.scope import Scope
from linli.sections import discovered


@dataclass(frozen=True)
class HubLink:
    title: str
    url: str
    description: str
    waiting: int | None = None  # things that wait for this person, shown as a count
    waiting_label: str = "待办"


@login_required
def hub(request):
    scope = Scope.of(request.user)
    links = [link for fn in discovered("HUB") if (link := fn(request, scope)) is not None]
    return render(request, "web/hub.html", {"links": links})
