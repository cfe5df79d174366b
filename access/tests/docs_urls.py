"""The project's URLs as they are meant to be (see the security report): /api/schema/ and /api/docs/ served by
access.api_docs, and the access pages (two-factor sign-in, privacy, one's own data, erasure) under /access/."""

from django.urls import include, path

from access.api_docs import DocsView, SchemaView
from linli import urls as project

urlpatterns = [
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(), name="api-docs"),
    path("access/", include("access.urls")),
    *project.urlpatterns,
]
handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
