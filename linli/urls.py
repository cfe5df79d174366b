from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from access.api import LogoutView, MeView, TokenListView, TokenRevokeView, TokenView
from access.api_docs import DocsView, SchemaView
from linli.health import healthz

api_patterns: list[URLPattern | URLResolver] = [
    path("me/", MeView.as_view(), name="api-me"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/", TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("spreadsheets/", include("spreadsheets.api_urls")),
    path("", include("linli.api_urls")),
    path("", include("disputes.api_urls")),
    path("", include("sites.api_urls")),
    path("", include("activities.api_urls")),
    path("", include("visits.api_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("covenants.api_urls")),
    path("", include("councils.api_urls")),
    path("", include("estates.api_urls")),
    path("", include("streets.api_urls")),
    path("", include("compounds.api_urls")),
    path("", include("cobuilding.api_urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("open311/v2/", include("open311.api_urls")),
    path("", include("web.urls")),
]
# Our own pages in Chinese (JSON under /api/); with DEBUG on, linli.error_pages.ErrorPagesMiddleware stands in for
# Django's technical pages unless LINLI_TECHNICAL_ERRORS=1.
handler400 = "linli.error_pages.bad_request"
handler403 = "linli.error_pages.permission_denied"
handler404 = "linli.error_pages.page_not_found"
handler500 = "linli.error_pages.server_error"
# Uploaded files are never served by path, in DEBUG either: an appeal's photos go through
# appeals.photo_views, which asks the scope.
