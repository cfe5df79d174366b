from django.urls import path

from notifications import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_all_read, name="inbox-read"),
]
