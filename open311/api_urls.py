"""Open311 GeoReport v2 under /open311/v2/ (see open311/api.py and docs/open311.md)."""

from django.urls import re_path

from open311 import api

FMT = r"\.(?P<format>[A-Za-z0-9]+)$"

urlpatterns = [
    re_path(r"^services" + FMT, api.ServicesView.as_view(), name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[^/]+)" + FMT,
        api.ServiceDefinitionView.as_view(),
        name="open311-service",
    ),
    re_path(r"^requests" + FMT, api.RequestsView.as_view(), name="open311-requests"),
    re_path(
        r"^requests/(?P<service_request_id>[^/]+)" + FMT, api.RequestView.as_view(), name="open311-request"
    ),
    re_path(r"^tokens/(?P<token>[^/]+)" + FMT, api.TokenView.as_view(), name="open311-token"),
    re_path(r"^.*$", api.NotFoundView.as_view(), name="open311-not-found"),
]
