from django.urls import path

from appeals import intake, photo_views, views

urlpatterns = [
    path("", views.appeal_queue, name="appeal-queue"),
    path("new/", intake.appeal_new, name="appeal-new"),
    path("new/people/", intake.person_search, name="appeal-person-search"),
    path("mine/", views.my_appeals, name="appeal-mine"),
    path("<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("<int:pk>/photos/<int:photo_pk>/", photo_views.appeal_photo, name="appeal-photo"),
    path("<int:pk>/<str:action>/", views.appeal_act, name="appeal-act"),
]
