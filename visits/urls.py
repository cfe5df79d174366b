"""走访: the pages."""

from django.urls import path

from visits import views

urlpatterns = [
    path("", views.home, name="visits-home"),
    path("rounds/new/", views.round_new, name="visits-round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="visits-round"),
    path("rounds/grids/<int:pk>/assign/", views.round_assign, name="visits-round-assign"),
    path("households/<int:household_pk>/visit/", views.visit_new, name="visits-new"),
    path("<int:pk>/", views.visit_detail, name="visits-detail"),
    path("<int:pk>/appeal/", views.visit_appeal, name="visits-appeal"),
    path("<int:pk>/need/", views.visit_need, name="visits-need"),
    path("care/", views.care, name="visits-care"),
    path("export/", views.export, name="visits-export"),
]
