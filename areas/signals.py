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


def grid_communities(new_path: str) -> dict[int, int]:
    """Grid id → the id of the community it now belongs to, for every grid under a moved node."""
    from areas.models import Area

    communities = set(Area.objects.filter(kind=Area.Kind.COMMUNITY).values_list("pk", flat=True))
    out = {}
    for pk, path in Area.objects.filter(kind=Area.Kind.GRID, path__startswith=new_path).values_list(
        "pk", "path"
    ):
        ids = [int(p) for p in path.strip("/").split("/")]
        out[pk] = next(i for i in reversed(ids) if i in communities)
    return out
