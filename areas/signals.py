"""Signals of the area tree, sent inside the service's transaction.

``area_moved`` is sent by ``areas.services.area_move`` after a node and its subtree have their new paths,
with ``area`` (the moved node, current), ``old_path`` and ``new_path``. Apps that keep an area's path or its
community beside their own rows (appeals, figures, warnings, residents) bring them up to date in the same
transaction, so nothing counts or shows under the old place once the move commits.
"""

from __future__ import annotations

from django.dispatch import Signal

area_moved = Signal()


def replace_prefix(field: str, old_path: str, new_path: str):
    """An update expression: ``field`` with its leading ``old_path`` replaced by ``new_path``."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    return Concat(Value(new_path), Substr(field, len(old_path) + 1))


def enclosing(new_path: str, kind: str) -> dict[str, int]:
    """For every area under a moved node (by its new path): the id of its nearest ancestor-or-self of ``kind``,
    0 if it has none."""
    from areas.models import Area

    of_kind = set(Area.objects.filter(kind=kind).values_list("pk", flat=True))
    out = {}
    for path in Area.objects.filter(path__startswith=new_path).values_list("path", flat=True):
        ids = [int(p) for p in path.strip("/").split("/")]
        out[path] = next((i for i in reversed(ids) if i in of_kind), 0)
    return out


def grid_communities(new_path: str) -> dict[int, int]:
    """Grid id → the id of the community it now belongs to, for every grid under a moved node."""
    from areas.models import Area

    communities = enclosing(new_path, Area.Kind.COMMUNITY)
    grids = Area.objects.filter(kind=Area.Kind.GRID, path__startswith=new_path).values_list("pk", "path")
    return {pk: communities[path] for pk, path in grids}
