"""街长制: the pages."""

from django.urls import path

from streets import views

urlpatterns = [
    path("", views.index, name="streets-index"),
    path("mine/", views.mine, name="streets-mine"),
    path("<int:pk>/", views.street, name="streets-street"),
    path("community/<int:pk>/", views.community, name="streets-community"),
    path("community/<int:pk>/act/", views.act, name="streets-act"),
]
