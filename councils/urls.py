"""联席会议与党建联盟: the pages."""

from django.urls import path

from councils import liaison_views, views

urlpatterns = [
    path("", views.index, name="councils-index"),
    path("new/", views.council_new, name="councils-new"),
    path("<int:pk>/", views.council_detail, name="councils-detail"),
    path("<int:pk>/<slug:action>/", views.council_act, name="councils-act"),
    path("meetings/<int:pk>/", views.meeting_detail, name="councils-meeting"),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_act, name="councils-meeting-act"),
    path("decisions/<int:pk>/finish/", views.decision_finish, name="councils-decision-finish"),
    path("liaisons/<int:pk>/", liaison_views.community_liaisons, name="councils-liaisons"),
    path("liaisons/<int:pk>/act/", liaison_views.liaison_act, name="councils-liaison-act"),
]
