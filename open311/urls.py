"""Open311 GeoReport v2: the administrator's pages (API keys)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
