"""Open311 GeoReport v2: the administrator's pages (API keys)."""

from django.urls import path

from open311 import views

urlpatterns = [
    path("keys/", views.key_list, name="open311-keys"),
    path("keys/<int:pk>/revoke/", views.key_revoke_view, name="open311-key-revoke"),
]
