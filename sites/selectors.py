"""党群服务阵地: reads. The nearest sites to a resident, a site's week of hours, the bookings waiting for staff."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from access.scope import Scope
from areas.models import Area
from sites import scope as rights
from sites.models import Booking, OpeningHours, ServiceSite

WEEKDAYS = OpeningHours.WEEKDAYS


@dataclass
class Found:
    site: ServiceSite
    km: float | None  # None when the distance is unknown (no position for the site or the person)
    open_now: bool


def shape_centre(shape: dict | None) -> tuple[float, float] | None:
    """The mean of a GeoJSON polygon's outer ring as (lat, lng); None without a usable shape."""
    if not shape:
        return None
    geometry = shape.get("geometry", shape) if isinstance(shape, dict) else {}
    coords = (geometry or {}).get("coordinates")
    kind = (geometry or {}).get("type")
    if not coords:
        return None
    try:
        ring = coords[0][0] if kind == "MultiPolygon" else coords[0]
        points = [(float(p[1]), float(p[0])) for p in ring]
    except (TypeError, IndexError, ValueError):
        return None
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def home_position(scope: Scope) -> tuple[float, float] | None:
    """Where the person lives, as near as Linli knows: the centre of their household building's grid."""
    for area in rights.home_areas(scope):
        if area.kind == Area.Kind.GRID and (centre := shape_centre(area.shape)):
            return centre
    return None


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def with_hours(qs: QuerySet[ServiceSite]) -> QuerySet[ServiceSite]:
    return qs.select_related("community", "grid").prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")), "rooms"
    )


def is_open(site: ServiceSite, moment: datetime) -> bool:
    local = timezone.localtime(moment)
    return any(p.weekday == local.weekday() and p.opens <= local.time() < p.closes for p in site.hours.all())


def nearest(scope: Scope, now: datetime, position: tuple[float, float] | None = None) -> list[Found]:
    """The sites this person may use, nearest first from ``position`` (the browser's, if they allowed it) or
    their home; without either, their own community's sites first, then by name."""
    position = position or home_position(scope)
    mine = rights.home_community_ids(scope)
    found = []
    for site in with_hours(rights.sites(scope).filter(active=True)):
        km = None
        if position is not None and site.lat is not None and site.lng is not None:
            km = round(km_between(position, (float(site.lat), float(site.lng))), 2)
        found.append(Found(site=site, km=km, open_now=is_open(site, now)))
    found.sort(key=lambda f: (f.km is None, f.km or 0, f.site.community_id not in mine, f.site.name))
    return found


def week(site: ServiceSite) -> list[tuple[str, list[OpeningHours]]]:
    """Monday to Sunday, each with its opening periods (延时 ones marked by ``extended``)."""
    periods = list(site.hours.all())
    return [(f"周{WEEKDAYS[d]}", [p for p in periods if p.weekday == d]) for d in range(7)]


def waiting_bookings(scope: Scope) -> QuerySet[Booking]:
    """Requested bookings at the sites this person manages: what staff must confirm or decline."""
    return Booking.objects.filter(
        site__in=rights.manageable_sites(scope), status=Booking.Status.REQUESTED
    ).select_related("site", "room", "person")


def visible_bookings(scope: Scope) -> QuerySet[Booking]:
    return rights.bookings(scope).select_related("site", "room", "person")
