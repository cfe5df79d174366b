"""居民公约: the pages."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
