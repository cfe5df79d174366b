"""联席会议与党建联盟: the pages."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
