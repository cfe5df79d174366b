"""Positions for matching, in kilometres on a local plane.

A place's position is the centre of its grid's GeoJSON shape (``Area.shape``) when the area tree holds one,
converted from longitude/latitude; without a shape, areas get a stable position spread around their
community, so distances still separate communities from each other. Good enough to prefer nearer providers;
not a routing engine.
"""

from __future__ import annotations

import math
from typing import Any

from areas.models import Area

KM_PER_DEGREE_LAT = 110.57


def _points(geometry: Any) -> list[tuple[float, float]]:
    if isinstance(geometry, dict):
        if geometry.get("type") == "FeatureCollection":
            return [p for f in geometry.get("features", []) for p in _points(f)]
        if geometry.get("type") == "Feature":
            return _points(geometry.get("geometry"))
        return _points(geometry.get("coordinates"))
    if isinstance(geometry, list | tuple):
        if len(geometry) >= 2 and all(isinstance(v, int | float) for v in geometry[:2]):
            return [(float(geometry[0]), float(geometry[1]))]
        return [p for part in geometry for p in _points(part)]
    return []


def position(area: Area) -> tuple[float, float]:
    points = _points(area.shape) if area.shape else []
    if points:
        lon = sum(p[0] for p in points) / len(points)
        lat = sum(p[1] for p in points) / len(points)
        if abs(lat) <= 90 and abs(lon) <= 180:
            return lon * KM_PER_DEGREE_LAT * math.cos(math.radians(lat)), lat * KM_PER_DEGREE_LAT
        return lon, lat  # already planar
    # No shape: a stable spot from the ids on the path (communities ~3 km apart, grids ~0.5 km around them).
    ids = area.ancestor_ids()
    x = y = 0.0
    for depth, pk in enumerate(ids[1:], start=1):
        radius = {1: 6.0, 2: 2.5}.get(depth, 0.5)
        angle = (pk * 2.399963) % (2 * math.pi)  # golden angle: neighbours spread out
        x, y = x + radius * math.cos(angle), y + radius * math.sin(angle)
    return x, y


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
