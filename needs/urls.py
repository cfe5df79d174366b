from django.urls import path

from needs import views

urlpatterns = [
    path("", views.hub, name="needs-hub"),
    path("needs/new/", views.need_new, name="needs-need-new"),
    path("needs/<int:pk>/assign/", views.need_assign, name="needs-need-assign"),
    path("from-appeal/<int:appeal_id>/", views.need_from_appeal, name="needs-from-appeal"),
    path("registrations/new/", views.registration_new, name="needs-registration-new"),
    path("registrations/<int:pk>/", views.registration_detail, name="needs-registration"),
    path("registrations/export.xlsx", views.registrations_export, name="needs-registrations-export"),
    path("rounds/new/", views.round_new, name="needs-round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="needs-round"),
    path("rounds/<int:pk>/<str:action>/", views.round_act, name="needs-round-act"),
    path("providers/<str:kind>/<int:pk>/", views.provider, name="needs-provider"),
    path("teams/new/", views.team_new, name="needs-team-new"),
    path("teams/<int:pk>/", views.team_detail, name="needs-team"),
]
