"""The API's pagination. Its own module: DRF imports it while ``rest_framework.generics`` is still loading,
so it must not import anything that imports DRF's views (``linli.api`` does, through drf-spectacular)."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """``?limit=`` is capped: an unbounded one reached the database as is, and one past 2**63 failed there
    (PostgreSQL: "bigint out of range", a 500; SQLite: a 409). ``?offset=`` needs no cap: past the count
    no query runs."""

    max_limit = 1000
