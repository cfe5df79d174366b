"""Simple, non-overlapping grid shapes for an area tree that has none (the demo district, tests, benchmarks).

The district's rectangle is cut into vertical strips, one per subdistrict (width by number of grids), each
strip into rows, one per community, and each community's cell into a small layout of grid cells, slightly
inset so borders show. Coordinates are lon/lat-like numbers around a made-up centre; the shapes are GeoJSON
Polygons stored through ``areas.services.area_update`` (one audit row each).
"""

from __future__ import annotations

import math
from typing import Any

from areas.models import Area
from areas.services import area_update

ORIGIN = (112.90, 28.20)  # lon, lat of the south-west corner (any numbers would do)
WIDTH, HEIGHT = 0.12, 0.09
INSET = 0.0006


def _rect(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    x0, y0, x1, y1 = x0 + INSET, y0 + INSET, x1 - INSET, y1 - INSET
    ring = [[round(x, 6), round(y, 6)] for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    return {"type": "Polygon", "coordinates": [ring]}


def _grids_under(area: Area) -> list[Area]:
    return list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=area.path).order_by("path"))


def layout(root: Area) -> dict[int, dict[str, Any]]:
    """grid id → GeoJSON Polygon, for every grid under ``root`` (a district, or any node)."""
    shapes: dict[int, dict[str, Any]] = {}
    subdistricts = list(Area.objects.filter(parent=root, kind=Area.Kind.SUBDISTRICT).order_by("path")) or [
        root
    ]
    weights = [max(1, len(_grids_under(s))) for s in subdistricts]
    x = ORIGIN[0]
    for sub, weight in zip(subdistricts, weights, strict=True):
        strip = WIDTH * weight / sum(weights)
        communities = list(
            Area.objects.filter(kind=Area.Kind.COMMUNITY, path__startswith=sub.path).order_by("path")
        ) or [sub]
        c_weights = [max(1, len(_grids_under(c))) for c in communities]
        y = ORIGIN[1]
        for community, c_weight in zip(communities, c_weights, strict=True):
            row = HEIGHT * c_weight / sum(c_weights)
            grids = _grids_under(community)
            cols = max(1, math.ceil(math.sqrt(len(grids) * strip / max(row, 1e-9))))
            cols = min(cols, len(grids)) or 1
            rows = max(1, math.ceil(len(grids) / cols))
            for i, grid in enumerate(grids):
                cx, cy = i % cols, i // cols
                w, h = strip / cols, row / rows
                shapes[grid.pk] = _rect(x + cx * w, y + cy * h, x + (cx + 1) * w, y + (cy + 1) * h)
            y += row
        x += strip
    return shapes


def draw_grids(root: Area, *, actor=None, only_missing: bool = True) -> int:
    """Store the layout's shapes on the grids (those without one, unless ``only_missing`` is False)."""
    shapes = layout(root)
    count = 0
    for grid in Area.objects.filter(pk__in=list(shapes)).order_by("path"):
        if only_missing and grid.shape:
            continue
        area_update(actor=actor, area=grid, shape=shapes[grid.pk])
        count += 1
    return count
