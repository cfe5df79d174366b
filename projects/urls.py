from django.urls import path

from projects import views

urlpatterns = [
    path("", views.ledger, name="projects-ledger"),
    path("new/", views.project_new, name="projects-new"),
    path("publish/", views.ledger_publish, name="projects-publish"),
    path("export.xlsx", views.ledger_export, name="projects-export"),
    path("<int:pk>/", views.project_detail, name="projects-detail"),
    path("<int:pk>/<str:action>/", views.project_act, name="projects-act"),
]
