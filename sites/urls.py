"""党群服务阵地: the pages."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
