"""街长制 in the unit suggestion: an appeal filed on a street goes by default to the departments bound to it.

The street's lead department first, then its other bound (包保) departments, each with the reason
"街路：青江路 → 城市管理局". A street with categories bound (``Street.categories``) takes only appeals of those
categories (or below them); a street without takes every category. Only units that may take the community's
appeals are suggested (the ``allowed`` of ``triage.suggest``). Called by ``triage.suggest.suggestion_for``,
ahead of the routing rules and the history.
"""

from __future__ import annotations

from categories.models import Category
from streets.models import Street
from triage.routing import UnitGuess, category_chain
from units.models import Unit


def street_units(street: Street, category: Category | None, allowed: dict[int, Unit]) -> list[Unit]:
    """The street's departments for an appeal of this category, the lead first; [] when it does not take it."""
    bound = set(street.categories.values_list("pk", flat=True))
    if bound and (category is None or not bound & {c.pk for c in category_chain(category)}):
        return []
    others = sorted(
        (u for u in street.units.all() if u.pk != street.lead_unit_id), key=lambda u: (u.kind, u.code)
    )
    units = ([street.lead_unit] if street.lead_unit is not None else []) + others
    return [allowed[u.pk] for u in units if u.pk in allowed]


def street_first(
    street_id: int,
    category: Category | None,
    allowed: dict[int, Unit],
    guesses: list[UnitGuess],
    top: int = 3,
) -> list[UnitGuess]:
    """The street's departments ahead of the other guesses (each unit once), at most ``top``."""
    street = Street.objects.select_related("lead_unit").get(pk=street_id)
    first = [
        UnitGuess(u, "street", f"街路：{street.name} → {u.name}")
        for u in street_units(street, category, allowed)
    ]
    seen: set[int] = set()
    merged = []
    for guess in first + guesses:
        if guess.unit.pk not in seen:
            seen.add(guess.unit.pk)
            merged.append(guess)
    return merged[:top]
