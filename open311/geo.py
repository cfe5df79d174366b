"""From a position (lat/long) to the area containing it: point-in-polygon on the areas' GeoJSON shapes.

``Area.shape`` holds a GeoJSON Polygon or MultiPolygon (or a Feature / FeatureCollection of them), coordinates as
[longitude, latitude]. A point is inside a polygon when it is inside its outer ring and outside its holes (ray
casting, even-odd). The grid containing the point wins; a community's own shape is the fallback for a community
whose grids have no shapes. Points on a shared border go to the first grid in path order, so the answer is stable.
"""

from __future__ import annotations

from typing import Any

from areas.models import Area

Ring = list[list[float]]


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > y) != (y2 > y):
            cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < cross:
                inside = not inside
    return inside


def _polygons(geometry: Any) -> list[list[Ring]]:
    """The polygons (each a list of rings, the outer one first) of any GeoJSON object; [] for anything else."""
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    if kind == "FeatureCollection":
        return [p for f in geometry.get("features") or [] for p in _polygons(f)]
    if kind == "Feature":
        return _polygons(geometry.get("geometry"))
    coordinates = geometry.get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list):
        return [coordinates]
    if kind == "MultiPolygon" and isinstance(coordinates, list):
        return list(coordinates)
    return []


def contains(shape: Any, lat: float, long: float) -> bool:
    for rings in _polygons(shape):
        try:
            if rings and _in_ring(long, lat, rings[0]) and not any(_in_ring(long, lat, h) for h in rings[1:]):
                return True
        except (TypeError, IndexError, ZeroDivisionError):
            continue  # a malformed shape contains nothing
    return False


def area_at(lat: float, long: float) -> Area | None:
    """The grid containing the point, else the community whose own shape contains it, else None."""
    for kind in (Area.Kind.GRID, Area.Kind.COMMUNITY):
        for area in Area.objects.filter(kind=kind, shape__isnull=False).order_by("path"):
            if contains(area.shape, lat, long):
                return area
    return None


def centre(area: Area) -> tuple[float, float] | None:
    """(lat, long) of the middle of an area's shape's outer rings (mean of the vertices), or None without one."""
    points = [
        (float(p[1]), float(p[0]))
        for rings in _polygons(area.shape)
        for p in (rings[0][:-1] if rings and len(rings[0]) > 1 else [])
        if isinstance(p, list | tuple) and len(p) >= 2
    ]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
