"""活动: the pages."""

from django.urls import path

from activities import exports, views

urlpatterns = [
    path("", views.index, name="activities-index"),
    path("new/", views.activity_new, name="activities-new"),
    path("export.xlsx", exports.ledger_xlsx, name="activities-xlsx"),
    path("<int:pk>/", views.activity_detail, name="activities-detail"),
    path("<int:pk>/qr/", views.activity_qr, name="activities-qr"),
    path("<int:pk>/checkin/", views.activity_checkin, name="activities-checkin"),
    path("<int:pk>/photos/<int:photo_pk>/", exports.photo, name="activities-photo"),
]
