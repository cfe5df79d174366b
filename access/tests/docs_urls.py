"""The project's URLs with /api/schema/ and /api/docs/ served by access.api_docs (what linli/urls.py should say)."""

from django.urls import path

from access.api_docs import DocsView, SchemaView
from linli import urls as project

urlpatterns = [
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(), name="api-docs"),
    *project.urlpatterns,
]
handler404 = project.handler404
