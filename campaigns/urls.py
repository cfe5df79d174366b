"""评选: the pages."""

from django.urls import path

from campaigns import views

urlpatterns = [
    path("", views.campaign_list, name="campaigns-list"),
    path("<int:pk>/", views.campaign_detail, name="campaigns-detail"),
    path("<int:pk>/<str:action>/", views.campaign_step, name="campaigns-step"),
    path("households/<int:pk>/", views.household_honours, name="campaigns-household"),
    path("export/", views.export, name="campaigns-export"),
]
