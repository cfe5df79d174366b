"""Open311 GeoReport v2: the REST resources."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
