"""小区与红色物业: the pages."""

from django.urls import path

from compounds import actions, views

urlpatterns = [
    path("", views.index, name="compounds-index"),
    path("community/<int:pk>/", views.community, name="compounds-community"),
    path("community/<int:pk>/new/", actions.create, name="compounds-create"),
    path("<int:pk>/", views.detail, name="compounds-detail"),
    path("<int:pk>/act/", actions.act, name="compounds-act"),
]
