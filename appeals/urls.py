from django.urls import path

from appeals import views

urlpatterns = [
    path("", views.appeal_queue, name="appeal-queue"),
    path("new/", views.appeal_new, name="appeal-new"),
    path("mine/", views.my_appeals, name="appeal-mine"),
    path("<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("<int:pk>/<str:action>/", views.appeal_act, name="appeal-act"),
]
