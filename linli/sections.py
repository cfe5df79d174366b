"""Where an app adds its part to pages it does not own, without editing them.

An app may have a module ``<app>/sections.py`` defining any of these lists of functions:

- ``PUBLIC``: ``fn(community, now) -> notices.public.PublicSection | None``: a section of the community's public
  page (``/community/<code>/``); only what may be public (counts, rates, masked names, never phones).
- ``AREA``: ``fn(request, scope, area) -> notices.public.PublicSection | None``: a section of the staff page of an
  area (``/areas/<pk>/``), shown to those who may see the area; the function decides what this person sees.
- ``HUB``: ``fn(request, scope) -> web.hub.HubLink | None``: a card on the 社区事务 page (``/hub/``), one per
  ledger the person may use (sites and bookings, activities, visits, disputes …).

Each function returns None to stay hidden. Sections are shown in the order of ``INSTALLED_APPS`` and, within
an app, in the order of its list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@cache
def discovered(kind: str) -> tuple[Callable, ...]:
    found: list[Callable] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.sections"
        if find_spec(name) is None:
            continue
        found.extend(getattr(import_module(name), kind, ()))
    return tuple(found)
