"""街长制 in the unit suggestion: an appeal filed on a street goes by default to the departments bound to it.

The street's lead department first, then its other bound (包保) departments, each with the reason
"街路：青江路 → 城市管理局". A street with categories bound (``Street.categories``) takes only appeals of those
categories (or below them); a street without takes every category. Only units that may take the community's
appeals are suggested (the ``allowed`` of ``triage.suggest``). Called by ``triage.suggest.suggestion_for``,
ahead of the routing rules and the history. No query per call: the streets are derived once per copy of
``triage.tables``, and a change to a street moves the tables' stamp (``follow_streets``).
"""

from __future__ import annotations

from dataclasses import dataclass

from categories.models import Category
from streets.models import Street
from triage.routing import UnitGuess, category_chain
from triage.tables import Tables
from units.models import Unit


@dataclass(frozen=True)
class Bound:
    """A street as routing reads it: its name, its departments (the lead first) and the categories it takes."""

    name: str
    units: tuple[int, ...]
    categories: frozenset[int]  # empty: every category


def streets_bound() -> dict[int, Bound]:
    """Every street's departments and categories, in three queries (once per copy of ``triage.tables``)."""
    streets = {s.pk: s for s in Street.objects.select_related("lead_unit")}
    others: dict[int, list[Unit]] = {}
    for link in Street.units.through.objects.select_related("unit").filter(street_id__in=list(streets)):
        others.setdefault(link.street_id, []).append(link.unit)
    taken: dict[int, set[int]] = {}
    for street_id, category_id in Street.categories.through.objects.values_list("street_id", "category_id"):
        taken.setdefault(street_id, set()).add(category_id)
    bound = {}
    for pk, street in streets.items():
        rest = sorted(
            (u for u in others.get(pk, []) if u.pk != street.lead_unit_id), key=lambda u: (u.kind, u.code)
        )
        lead = [street.lead_unit_id] if street.lead_unit_id is not None else []
        bound[pk] = Bound(street.name, tuple(lead + [u.pk for u in rest]), frozenset(taken.get(pk, ())))
    return bound


def street_units(street: Bound, category: Category | None, allowed: dict[int, Unit]) -> list[Unit]:
    """The street's departments for an appeal of this category, the lead first; [] when it does not take it."""
    if street.categories and (
        category is None or not street.categories & {c.pk for c in category_chain(category)}
    ):
        return []
    return [allowed[pk] for pk in street.units if pk in allowed]


def street_first(
    tables: Tables,
    street_id: int,
    category: Category | None,
    allowed: dict[int, Unit],
    guesses: list[UnitGuess],
    top: int = 3,
) -> list[UnitGuess]:
    """The street's departments ahead of the other guesses (each unit once), at most ``top``."""
    street = tables.derived("streets.bound", streets_bound).get(street_id)
    if street is None:
        return guesses[:top]
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


def follow_streets() -> None:
    from triage.receivers import follow

    follow(Street, through=(Street.units.through, Street.categories.through))
