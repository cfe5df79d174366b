"""居民公约: the pages."""

from django.urls import path

from covenants import views

urlpatterns = [
    path("", views.covenant_list, name="covenants-list"),
    path("<int:pk>/", views.covenant_detail, name="covenants-detail"),
    path("<int:pk>/<str:action>/", views.covenant_step, name="covenants-step"),
]
