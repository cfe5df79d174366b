"""街长制: the REST resources."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
