"""党群服务阵地: the pages."""

from django.urls import path

from sites import ledger_views, views

urlpatterns = [
    path("", views.index, name="sites-index"),
    path("new/", views.site_new, name="sites-new"),
    path("<int:pk>/", views.site_detail, name="sites-detail"),
    path("bookings/", views.bookings, name="sites-bookings"),
    path("bookings/<int:pk>/<str:action>/", views.booking_step, name="sites-booking-step"),
    path("ledger/", ledger_views.ledger_page, name="sites-ledger"),
    path("ledger.xlsx", ledger_views.ledger_xlsx, name="sites-ledger-xlsx"),
    path("records/<int:pk>/<str:action>/", ledger_views.record_step, name="sites-record-step"),
]
